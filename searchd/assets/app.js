/* tracuu: the search page.  Plain script, no framework, no build step.
 *
 * The URL is the whole state: /?q=&issuer=&year=&doc_type=&theme=
 * &deadline_from=&deadline_to=&due=&sort=&page=&per_page= for a search, /?doc=<id>
 * for a document.  Every change goes through navigate(), which writes the URL
 * (pushState, or replaceState while the user keeps typing) and then route()
 * renders what the URL says; popstate and the first load call route() too.
 *
 * Text from a dispatch is only ever inserted as text (textContent, text
 * nodes), never as HTML.
 */
'use strict';

(function () {
  /* Search parameters in the order they appear in URLs. */
  var FIELDS = ['q', 'issuer', 'year', 'doc_type', 'theme', 'deadline_from',
                'deadline_to', 'due', 'sort', 'page', 'per_page', 'facet_values', 'as_typed'];
  var DUE_NAMES = { overdue: 'Quá hạn', soon: 'Sắp đến hạn' };
  /* Facets that take several values at once; in the page's state their
   * values are joined by SEP, which no value holds. */
  var MULTI = ['issuer', 'year', 'doc_type'];
  var SEP = '\n';
  /* the choices' words, to which their counts are added */
  var DUE_LABELS = { overdue: 'Quá hạn', soon: 'Sắp đến hạn (7 ngày)' }; /* TC_DUE_SOON_DAYS */
  var FILTER_LABELS = {
    issuer: 'Cơ quan ban hành',
    year: 'Năm',
    doc_type: 'Loại văn bản',
    theme: 'Chủ đề'
  };
  var TYPE_DELAY = 250;     /* ms of quiet typing before a search */
  var DATE_DELAY = 300;     /* date inputs fire on every typed digit */
  var SUGGEST_DELAY = 150;
  var FACET_SHOWN = 8;      /* longer facet lists fold behind "Xem thêm" */
  var FACET_SEARCH_FROM = 6; /* a facet with more values than this gets a search box */
  var MAX_FACET_VALUES = 1000; /* TC_MAX_FACET_VALUES: "all values" asks for this many */
  var UPCOMING_DAYS = 14;
  var MAX_QUERY_BYTES = 1000; /* TC_MAX_QUERY_BYTES: the browser test checks the two agree */

  var $ = function (id) { return document.getElementById(id); };
  var els = {
    form: $('search-form'), q: $('q'), theme: $('theme'), themeList: $('theme-list'),
    from: $('deadline-from'), to: $('deadline-to'), due: $('due'), sort: $('sort'), csv: $('csv'),
    filters: $('filters'), filterCount: $('filter-count'), chips: $('chips'),
    total: $('total'), results: $('results'), empty: $('empty'), advice: $('advice'),
    prev: $('prev'), next: $('next'), range: $('range'),
    searchView: $('search-view'), doc: $('doc'), docBack: $('doc-back'),
    docKind: $('doc-kind'), docTitle: $('doc-title'), docMeta: $('doc-meta'),
    docText: $('doc-text'), docRefs: $('doc-references'), docRefsNone: $('doc-references-none'),
    docCited: $('doc-cited-by'), docCitedNone: $('doc-cited-by-none'),
    error: $('error'), ics: $('ics'), pager: $('pager'), webcal: $('webcal'), icsUrl: $('ics-url'),
    facets: { issuer: $('facet-issuer'), year: $('facet-year'), doc_type: $('facet-doc_type') }
  };

  var current = emptySearch(); /* the search the page shows or last showed */
  /* Where the page is served: "/", or a reverse proxy's prefix such as
   * "/tracuu/".  Every URL the page makes starts here. */
  var BASE = location.pathname.replace(/[^/]*$/, '');
  var lastSearchUrl = BASE;    /* where "Quay lại kết quả" leads */
  var docHighlight = '';   /* the words searched for, marked in a dispatch's text */
  var inflight = null;         /* AbortController of the running request */
  var typeTimer = 0, dateTimer = 0, suggestTimer = 0, suggestAbort = null;
  var expanded = {};           /* facet lists the user unfolded */
  var facetFilter = {};        /* what is typed in each facet's search box */
  var facetShown = {};         /* each facet's values as last drawn: {values, distinct} */
  var chipFocusAt = null;      /* where the chip just removed was */
  var tooLongShown = false;    /* the error shown is queryFits's */
  var facetsEstimated = false; /* the facet counts shown come from a sample */
  var cache = new Map();       /* API URL -> answer, for instant back/forward */
  var CACHE_MAX = 40;
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();

  /* ---------------------------------------------------------------- */
  /* State and URLs                                                     */

  function emptySearch() {
    var s = {};
    FIELDS.forEach(function (f) { s[f] = ''; });
    return s;
  }

  /* Reads a query string into {doc} or {search}. */
  function parseLocation(search) {
    var p = new URLSearchParams(search);
    if (p.has('doc') && p.get('doc') !== '') return { doc: p.get('doc'), hl: p.get('hl') || '' };
    var s = emptySearch();
    FIELDS.forEach(function (f) { s[f] = (p.get(f) || '').trim(); });
    /* a facet may hold several values, any of which a dispatch may have */
    MULTI.forEach(function (f) {
      s[f] = p.getAll(f).map(function (v) { return v.trim(); }).filter(Boolean).join(SEP);
    });
    if (f_sort(s.sort) === 'relevance') s.sort = '';
    if (!/^[1-9][0-9]*$/.test(s.page) || s.page === '1') s.page = '';
    return { search: s };
  }
  var SORTS = ['relevance', 'date', 'date_asc', 'deadline', 'deadline_desc'];
  function f_sort(v) { return SORTS.indexOf(v) >= 0 ? v : 'relevance'; }

  /* The canonical query string of a search: defaults left out. */
  function searchQuery(s) {
    var p = new URLSearchParams();
    FIELDS.forEach(function (f) {
      var v = s[f];
      if (v === undefined || v === null || v === '') return;
      if (f === 'sort' && v === 'relevance') return;
      if (f === 'page' && String(v) === '1') return;
      appendParam(p, f, v);
    });
    return p.toString();
  }
  /* A facet's several values are repeated parameters (year=2024&year=2025). */
  function appendParam(p, f, v) {
    if (MULTI.indexOf(f) >= 0) String(v).split(SEP).forEach(function (one) { if (one) p.append(f, one); });
    else p.set(f, v);
  }
  function valuesOf(v) { return v ? String(v).split(SEP) : []; }
  function searchUrl(s) {
    var qs = searchQuery(s);
    return qs ? BASE + '?' + qs : BASE;
  }
  // hl: the words searched for, marked in the dispatch's text.
  function docUrl(id, hl) {
    var p = { doc: id };
    if (hl) p.hl = hl;
    return BASE + '?' + new URLSearchParams(p).toString();
  }
  function here() { return location.pathname + location.search; }

  function sameSearch(a, b) {
    return FIELDS.every(function (f) { return (a[f] || '') === (b[f] || ''); });
  }

  /* ---------------------------------------------------------------- */
  /* Navigation                                                         */

  /* opts.typing: the user is still typing; the first keystroke of a burst
   * adds a history entry, the following ones replace it. */
  function navigate(url, opts) {
    opts = opts || {};
    var st = history.state || {};
    if (url === here()) {
      if (!opts.force) return;
    } else {
      var replace = opts.replace || (opts.typing && st.typing);
      if (!replace) {
        /* Remember where we were on the entry we are leaving. */
        history.replaceState(Object.assign({}, st, { scroll: window.scrollY, focus: opts.focusBack || null }), '');
      }
      var next = Object.assign({ typing: !!opts.typing, from: opts.from || null }, opts.state || {});
      if (replace) history.replaceState(next, '', url);
      else history.pushState(next, '', url);
    }
    route({ syncQ: !!opts.syncQ, focusDoc: !!opts.focusDoc, scrollTop: !!opts.scrollTop,
            focusResults: !!opts.focusResults, focusFacet: opts.focusFacet || null });
  }

  function route(opts) {
    opts = opts || {};
    var loc = parseLocation(location.search);
    if (loc.doc !== undefined) {
      var from = history.state && history.state.from;
      if (from) {
        lastSearchUrl = from;
        current = parseLocation(from.replace(/^[^?]*/, '')).search || emptySearch();
        syncInputs(opts.syncQ);
      }
      docHighlight = loc.hl;
      showDoc(loc.doc, opts);
    } else {
      current = loc.search;
      lastSearchUrl = here();
      syncInputs(opts.syncQ);
      runSearch(opts);
    }
  }

  function commitForm(opts) {
    if (!queryFits(els.q.value.trim())) return;
    var s = Object.assign({}, current, {
      q: els.q.value.trim(),
      theme: els.theme.value.trim(),
      /* a date input cannot show a value like "2026-05" from the URL: keep it */
      deadline_from: typedDate(els.from.value),
      deadline_to: typedDate(els.to.value),
      due: DUE_NAMES[els.due.value] ? els.due.value : '',
      sort: f_sort(els.sort.value) === 'relevance' ? '' : els.sort.value,
      /* words typed anew may be corrected again */
      as_typed: els.q.value.trim() === current.q ? current.as_typed : '',
      page: ''
    });
    var url = searchUrl(s);
    var inDoc = !els.doc.hidden;
    if (!inDoc && sameSearch(s, current) && url === here()) {
      /* Enter on a search already shown (typing drew it): still take the
       * keyboard to its results */
      if (opts && opts.focusResults) focusResults();
      return;
    }
    navigate(url, opts);
  }

  /* The server takes at most MAX_QUERY_BYTES of UTF-8 in q; a longer
   * query is explained here instead of being sent.  Says so and returns
   * false when q is too long. */
  function queryFits(q) {
    var bytes = encoder.encode(q).length;
    if (bytes <= MAX_QUERY_BYTES) {
      if (tooLongShown) { clearError(); tooLongShown = false; }
      return true;
    }
    showError('Câu tìm kiếm dài ' + bytes + ' byte, quá giới hạn ' + MAX_QUERY_BYTES + ' byte (mỗi chữ có dấu ' +
              'tiếng Việt chiếm 2 hoặc 3 byte); hãy rút gọn câu tìm kiếm.');
    tooLongShown = true;
    return false;
  }

  function setFilter(field, value, opts) {
    var s = Object.assign({}, current);
    s[field] = value;
    s.page = '';
    navigate(searchUrl(s), Object.assign({ syncQ: false }, opts || {}));
  }

  /* Puts the search in `current` into the form (after load or back). */
  function syncInputs(withQ) {
    if (withQ || document.activeElement !== els.q) els.q.value = current.q;
    if (document.activeElement !== els.theme) els.theme.value = current.theme;
    if (document.activeElement !== els.from) els.from.value = shownDate(current.deadline_from);
    if (document.activeElement !== els.to) els.to.value = shownDate(current.deadline_to);
    els.due.value = DUE_NAMES[current.due] ? current.due : '';
    els.sort.value = f_sort(current.sort);
  }
  function validIso(v) { return /^\d{4}-\d{2}-\d{2}$/.test(v || ''); }
  /* Dates are typed and shown day first (dd/mm/yyyy) whatever the
   * browser's language; the URL holds them as yyyy-mm-dd.  A value that is
   * not a whole day goes to the server as typed, which says what is wrong
   * with it. */
  function typedDate(v) {
    v = v.trim();
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
    if (!m) return v;
    var iso = m[3] + '-' + ('0' + m[2]).slice(-2) + '-' + ('0' + m[1]).slice(-2);
    var d = new Date(Number(m[3]), Number(m[2]) - 1, Number(m[1]));
    return d.getDate() === Number(m[1]) && d.getMonth() === Number(m[2]) - 1 ? iso : v;
  }
  function shownDate(v) { return validIso(v) ? fmtDate(v) : (v || ''); }
  function completeDate(v) { return /^\s*(\d{1,2}\/\d{1,2}\/\d{4})?\s*$/.test(v); }

  /* ---------------------------------------------------------------- */
  /* Talking to the daemon                                              */

  function ApiError(message, status) {
    this.message = message;
    this.status = status;
  }

  function getJSON(url, signal) {
    return fetch(url, { signal: signal, headers: { Accept: 'application/json' } })
      .catch(function (e) {
        if (e && e.name === 'AbortError') throw e;
        throw new ApiError('Không kết nối được với máy chủ tìm kiếm.', 0);
      })
      .then(function (res) {
        return res.text().then(function (body) {
          var data = null;
          try { data = body ? JSON.parse(body) : null; } catch (e) { data = null; }
          if (!res.ok) {
            // `message` is the server's Vietnamese, `error` its English for programs
            var msg = data && typeof data.message === 'string' && data.message ? data.message
              : data && typeof data.error === 'string' && data.error ? data.error
              : 'Máy chủ báo lỗi (HTTP ' + res.status + ').';
            throw new ApiError(msg, res.status);
          }
          if (!data || typeof data !== 'object') {
            throw new ApiError('Máy chủ trả về dữ liệu không đọc được.', res.status);
          }
          return data;
        });
      });
  }

  function request(url, useCache) {
    if (inflight) inflight.abort();
    var ctl = new AbortController();
    inflight = ctl;
    if (useCache && cache.has(url)) return Promise.resolve(cache.get(url));
    return getJSON(url, ctl.signal).then(function (data) {
      cache.delete(url);
      cache.set(url, data);
      if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value);
      return data;
    });
  }

  function showError(message) {
    els.error.textContent = message;
    els.error.hidden = false;
  }
  function clearError() {
    els.error.textContent = '';
    els.error.hidden = true;
  }

  function setBusy(on) {
    if (on) document.documentElement.setAttribute('aria-busy', 'true');
    else document.documentElement.removeAttribute('aria-busy');
  }
  /* Tells tests (and anyone curious) which URL the page finished drawing. */
  function rendered() {
    setBusy(false);
    document.documentElement.setAttribute('data-rendered', location.search);
  }

  /* ---------------------------------------------------------------- */
  /* Search view                                                        */

  function apiSearchUrl(s) {
    var p = new URLSearchParams();
    FIELDS.forEach(function (f) { if (s[f]) appendParam(p, f, s[f]); });
    return BASE + 'api/search?' + p.toString();
  }

  function runSearch(opts) {
    els.doc.hidden = true;
    els.searchView.hidden = false;
    els.filters.hidden = false;
    document.title = current.q ? current.q + ' — Tra cứu công văn' : 'Tra cứu công văn';
    renderChips();
    if (chipFocusAt !== null) {
      focusChip(chipFocusAt);
      chipFocusAt = null;
    }
    setBusy(true);
    var popped = !!opts.popped;
    var forUrl = location.search;
    var main = request(apiSearchUrl(current), popped);
    /* a facet with a value chosen counts the search without it */
    var own = ['issuer', 'year', 'doc_type'].filter(function (f) { return current[f]; }).map(function (f) {
      var url = apiSearchUrl(facetSearch(f));
      var answer = cache.has(url) ? Promise.resolve(cache.get(url)) : getJSON(url).then(function (d) {
        cache.set(url, d);
        if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value);
        return d;
      });
      return answer.then(function (d) { return [f, d]; });
    });
    Promise.all([main].concat(own)).then(function (answers) {
      var data = answers[0];
      if (location.search !== forUrl) return;
      clearError();
      var facetAnswers = {};
      answers.slice(1).forEach(function (a) { facetAnswers[a[0]] = a[1]; });
      renderResults(data, facetAnswers);
      rendered();
      restoreView(opts);
      placeFocus(opts);
      countDue(current, forUrl);
    }, function (e) {
      if (e && e.name === 'AbortError') return;
      if (location.search !== forUrl) return;
      showError(e.message || String(e));
      clearResults();
      rendered();
    });
  }

  /* How many of the search's dispatches each deadline view holds, shown
   * in its choice ("Quá hạn (3)"): the same search with due= set, asked
   * for its total only.  #due's data-counted names the search counted. */
  var dueAbort = null;
  function countDue(s, forUrl) {
    if (dueAbort) dueAbort.abort();
    dueAbort = new AbortController();
    var signal = dueAbort.signal;
    var views = Object.keys(DUE_NAMES);
    Promise.all(views.map(function (view) {
      var url = apiSearchUrl(Object.assign({}, s, { due: view, page: '', per_page: '1' })) + '&facet_values=1';
      return cache.has(url) ? Promise.resolve(cache.get(url)) : getJSON(url, signal).then(function (data) {
        cache.set(url, data);
        if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value);
        return data;
      });
    })).then(function (answers) {
      if (location.search !== forUrl) return;
      views.forEach(function (view, i) {
        var option = els.due.querySelector('option[value="' + view + '"]');
        var total = num(answers[i].total, 0);
        option.textContent = DUE_LABELS[view] + ' (' + total.toLocaleString('vi-VN') + ')';
      });
      els.due.setAttribute('data-counted', forUrl);
    }, function () { /* counts are a nicety: the choices stay without them */ });
  }

  function clearResults() {
    els.results.textContent = '';
    els.advice.textContent = '';
    els.advice.hidden = true;
    els.total.textContent = '';
    els.range.textContent = '';
    els.empty.hidden = true;
    els.prev.disabled = true;
    els.next.disabled = true;
    Object.keys(els.facets).forEach(function (k) { els.facets[k].textContent = ''; });
  }

  function num(v, dflt) {
    return typeof v === 'number' && isFinite(v) ? v : dflt;
  }

  /* An estimated count as a reader takes it: two significant digits with
     Vietnamese thousands ("khoảng 68.000" for 68.324); more would claim a
     precision the estimate has not. */
  function about(n) {
    var unit = 1;
    while (n / unit >= 100) unit *= 10;
    return 'khoảng ' + (Math.round(n / unit) * unit).toLocaleString('vi-VN');
  }

  /* facetAnswers: for a facet with a value chosen, the answer to the
   * search without it, whose counts that facet shows. */
  function renderResults(data, facetAnswers) {
    facetAnswers = facetAnswers || {};
    var results = Array.isArray(data.results) ? data.results : [];
    var total = num(data.total, results.length);
    // Past the server's count bound the total is an estimate.
    var shownTotal = data.total_exact === false && !data.partial ? about(total) : total.toLocaleString('vi-VN');
    var offset = num(data.offset, 0);
    var limit = num(data.limit, results.length || 10) || 10;

    var frag = document.createDocumentFragment();
    results.forEach(function (r) { frag.appendChild(resultItem(r || {})); });
    els.results.textContent = '';
    els.results.appendChild(frag);
    els.results.start = offset + 1;

    // partial: the search stopped at its time limit, the counts are lower bounds.
    els.total.textContent = data.partial
      ? (total === 0 ? 'Chưa tìm thấy văn bản nào' : 'Tìm thấy ít nhất ' + total.toLocaleString('vi-VN') + ' văn bản')
        + ' (tìm kiếm dừng lại vì quá thời gian cho phép)'
      : total === 0 ? 'Không tìm thấy văn bản nào'
      : 'Tìm thấy ' + shownTotal + ' văn bản';
    // The words typed found nothing; the answer is for them as the
    // archive spells them.
    if (data.corrected && data.suggestion) {
      els.total.textContent = 'Không tìm thấy “' + current.q + '”; đang hiện kết quả cho “' +
        str(data.suggestion) + '”: ' + els.total.textContent.toLowerCase() + '. ';
      // "Search instead for" the words as typed, which finds nothing but
      // says so plainly.
      var exact = el('a', 'as-typed', 'Tìm đúng “' + current.q + '”');
      exact.id = 'as-typed';
      exact.href = searchUrl(Object.assign({}, current, { as_typed: '1', page: '' }));
      els.total.appendChild(exact);
    }
    renderAdvice(data, total);
    // A number typed that no dispatch carries as its own: what is listed
    // only mentions it.
    if (data.number_in_archive === false)
      els.total.textContent += total === 0 ? ' mang số này trong kho'
        : ' nhắc đến số này (trong kho không có văn bản mang số này)';
    // A page past the last one: said once, with the way back, not
    // "found 410" beside "found nothing".
    if (total > 0 && results.length === 0) {
      els.total.textContent = 'Trang này nằm sau trang cuối: có ' + shownTotal +
        ' văn bản, trang cuối là trang ' + Math.max(1, Math.ceil(total / limit)) + '.';
      els.range.textContent = '';
    }
    els.empty.hidden = results.length !== 0 || total > 0;
    els.range.textContent = results.length
      ? (offset + 1) + '–' + (offset + results.length) + ' / ' + shownTotal : '';
    els.pager.hidden = total === 0 && offset === 0;
    els.prev.disabled = offset <= 0;
    els.next.disabled = offset + limit >= total;
    // Past the end, "Trang trước" goes to the last page that has results.
    var lastPage = Math.max(1, Math.ceil(total / limit));
    els.prev.setAttribute('data-page', String(Math.min(lastPage, Math.max(1, Math.floor(offset / limit)))));
    els.next.setAttribute('data-page', String(Math.floor(offset / limit) + 2));

    var ics = new URLSearchParams(apiSearchUrl(current).split('?')[1]);
    ics.delete('page');
    ics.delete('per_page');
    ics.delete('facet_values');
    els.ics.href = BASE + 'api/deadlines.ics' + (ics.toString() ? '?' + ics.toString() : '');
    // The same feed to subscribe to: a calendar asks it again by itself.
    var feed = new URL(els.ics.getAttribute('href'), location.href).href;
    els.icsUrl.value = feed;
    els.webcal.href = feed.replace(/^https?:/, 'webcal:');
    // Every match of the search, not the page shown.
    els.csv.href = BASE + 'api/search.csv' + (ics.toString() ? '?' + ics.toString() : '');

    facetsEstimated = data.facets_exact === false;
    Object.keys(els.facets).forEach(function (field) {
      var from = facetAnswers[field] || data;
      var facets = from.facets || {};
      var distinct = from.facets_distinct || {};
      var values = Array.isArray(facets[field]) ? facets[field].slice() : [];
      /* years read best newest first */
      if (field === 'year') values.sort(function (a, b) { return str(b && b.value).localeCompare(str(a && a.value)); });
      renderFacet(field, values, num(distinct[field], values.length));
    });
  }

  /* Help under the count: "did you mean" when the words typed find
   * something but were likely meant otherwise, and, when nothing matches
   * all of it, each part without which something would, as a link that
   * drops it. */
  function renderAdvice(data, total) {
    var box = els.advice;
    box.textContent = '';
    if (data.suggestion && !data.corrected) {
      box.appendChild(document.createTextNode('Có phải bạn muốn tìm: '));
      var a = el('a', 'suggestion', str(data.suggestion));
      a.href = searchUrl(Object.assign({}, current, { q: str(data.suggestion), page: '' }));
      box.appendChild(a);
      box.appendChild(document.createTextNode('?'));
    }
    var without = (Array.isArray(data.without) ? data.without : []).filter(Boolean);
    if (total === 0 && without.length) {
      box.appendChild(document.createTextNode('Không văn bản nào có đủ mọi điều kiện. '));
      without.forEach(function (w, i) {
        var part = str(w.part);
        var rest = withoutPart(current, part);
        var count = ' thì có ' + (w.total_exact === false ? about(num(w.total, 0))
                                                           : num(w.total, 0).toLocaleString('vi-VN')) + ' văn bản';
        box.appendChild(document.createTextNode(i ? '; ' : ''));
        if (rest) {
          var drop = el('a', 'drop', 'Bỏ «' + part + '»');
          drop.href = searchUrl(rest);
          box.appendChild(drop);
          box.appendChild(document.createTextNode(count));
        } else {
          box.appendChild(document.createTextNode('Bỏ «' + part + '»' + count));
        }
      });
      box.appendChild(document.createTextNode('.'));
    }
    box.hidden = !box.firstChild;
  }

  /* The search s without one part the server named (a word or phrase of
   * q, or a filter as it labels it: issuer:"…", year:2026, deadline:…);
   * null when the part cannot be found to take out. */
  function withoutPart(s, part) {
    var out = Object.assign({}, s, { page: '' });
    var filter = /^(issuer|theme|type|year|deadline|date):/.exec(part);
    var q = ' ' + s.q + ' ';
    var at = q.indexOf(' ' + part + ' ');
    if (at >= 0) {
      out.q = (q.slice(0, at) + ' ' + q.slice(at + part.length + 2)).replace(/\s+/g, ' ').trim();
      return out;
    }
    if (!filter) return null;
    var field = { issuer: 'issuer', theme: 'theme', type: 'doc_type', year: 'year' }[filter[1]];
    if (field && s[field]) { out[field] = ''; return out; }
    if (filter[1] === 'deadline' && (s.deadline_from || s.deadline_to)) {
      out.deadline_from = '';
      out.deadline_to = '';
      return out;
    }
    if (filter[1] === 'deadline' && s.due) { out.due = ''; return out; }
    return null;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function str(v) { return typeof v === 'string' ? v : (v === null || v === undefined ? '' : String(v)); }

  /* "Số 1471/UBND-KGVX", "Số: /SKHCN-VP" (number left blank), "" */
  function numberLabel(r) {
    var n = str(r.number), sym = str(r.symbol);
    if (n && sym) return 'Số ' + n + '/' + sym;
    if (n) return 'Số ' + n;
    if (sym) return 'Số: /' + sym;
    return '';
  }
  function numberSymbol(r) {
    var n = str(r.number), sym = str(r.symbol);
    if (n && sym) return n + '/' + sym;
    if (sym) return '/' + sym;
    return n;
  }

  /* ISO (possibly partial) -> Vietnamese order: 21/04/2026, 04/2026, 2026. */
  function fmtDate(iso) {
    iso = str(iso);
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso);
    if (!m) return iso;
    if (m[3]) return m[3] + '/' + m[2] + '/' + m[1];
    if (m[2]) return m[2] + '/' + m[1];
    return m[1];
  }
  function timeEl(iso, cls) {
    var t = el('time', cls, fmtDate(iso));
    if (/^\d{4}(-\d{2}){0,2}$/.test(str(iso))) t.dateTime = iso;
    return t;
  }

  function isoLocal(d) {
    var mm = String(d.getMonth() + 1), dd = String(d.getDate());
    return d.getFullYear() + '-' + (mm.length < 2 ? '0' : '') + mm + '-' + (dd.length < 2 ? '0' : '') + dd;
  }
  /* 'upcoming' within [today, today+14], 'past' before today, '' otherwise. */
  /* The day a deadline falls due: a whole month or year ("2025-12",
   * "trong tháng 12 năm 2025") is due by its last day, as the server
   * counts it. */
  function dueDay(iso) {
    var m = /^(\d{4})(?:-(\d{2}))?$/.exec(iso || '');
    if (!m) return iso;
    var last = m[2] ? new Date(Number(m[1]), Number(m[2]), 0) : new Date(Number(m[1]), 12, 0);
    return isoLocal(last);
  }
  function deadlineState(iso) {
    iso = dueDay(iso);
    if (!validIso(iso)) return '';
    var now = new Date();
    var today = isoLocal(now);
    var soon = isoLocal(new Date(now.getFullYear(), now.getMonth(), now.getDate() + UPCOMING_DAYS));
    if (iso < today) return 'past';
    if (iso <= soon) return 'upcoming';
    return '';
  }
  function deadlineBadge(d) {
    var date = str(d && d.date);
    var state = deadlineState(date);
    var b = el('span', 'deadline' + (state ? ' ' + state : ''));
    b.appendChild(document.createTextNode('Hạn '));
    b.appendChild(timeEl(date));
    if (state === 'upcoming') b.appendChild(el('span', 'visually-hidden', ' (sắp đến hạn)'));
    if (state === 'past') b.appendChild(el('span', 'visually-hidden', ' (đã qua)'));
    if (d && d.text) b.title = str(d.text);
    return b;
  }

  function resultItem(r) {
    var li = el('li', 'result');
    var id = str(r.id);
    li.setAttribute('data-id', id);

    var h = el('h2', 'title');
    var a = el('a', 'subject', str(r.subject) || untitled(r));
    a.href = docUrl(id, current.q);
    if (!r.subject) a.classList.add('untitled');
    h.appendChild(a);
    li.appendChild(h);

    var meta = el('p', 'meta');
    if (r.issuer) meta.appendChild(el('span', 'issuer', str(r.issuer)));
    var nl = numberLabel(r);
    if (nl) meta.appendChild(el('span', 'number', nl));
    if (r.date) meta.appendChild(timeEl(r.date, 'date'));
    if (r.doc_type) meta.appendChild(el('span', 'doc-type', str(r.doc_type)));
    if (r.urgency) meta.appendChild(el('strong', 'urgency', str(r.urgency)));
    if (r.secrecy) meta.appendChild(el('strong', 'secrecy', str(r.secrecy)));
    li.appendChild(meta);

    var deadlines = Array.isArray(r.deadlines) ? r.deadlines : [];
    if (deadlines.length) {
      var dl = el('ul', 'deadlines');
      dl.setAttribute('aria-label', 'Hạn xử lý');
      deadlines.forEach(function (d) {
        var item = el('li');
        item.appendChild(deadlineBadge(d));
        dl.appendChild(item);
      });
      li.appendChild(dl);
    }

    if (r.snippet) {
      var p = el('p', 'snippet');
      highlight(p, str(r.snippet), r.highlights);
      li.appendChild(p);
    }
    var copies = Array.isArray(r.also_in) ? r.also_in : [];
    if (copies.length) {
      li.appendChild(el('p', 'also-in', 'Bản sao cùng số, cùng ngày: ' + copies.map(str).join(', ')));
    }
    return li;
  }

  function untitled(r) {
    var t = str(r.doc_type) || 'Văn bản';
    var n = numberSymbol(r);
    return t + (n ? ' ' + n : '') + ' (không có trích yếu)';
  }

  /* Wraps the [start, end) UTF-8 byte ranges of `text` in <mark>.  Ranges
   * only a space apart become one mark, so a matched phrase reads as one. */
  function highlight(target, text, ranges) {
    var bytes = encoder.encode(text);
    var n = bytes.length;
    var rs = (Array.isArray(ranges) ? ranges : []).filter(function (r) {
      return Array.isArray(r) && r.length >= 2 && isFinite(r[0]) && isFinite(r[1]);
    }).map(function (r) {
      return [Math.max(0, Math.min(n, r[0] | 0)), Math.max(0, Math.min(n, r[1] | 0))];
    }).filter(function (r) { return r[1] > r[0]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });

    var merged = [];
    rs.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && (r[0] <= last[1] || onlySpaces(bytes, last[1], r[0]))) {
        last[1] = Math.max(last[1], r[1]);
      } else {
        merged.push([r[0], r[1]]);
      }
    });

    var pos = 0;
    merged.forEach(function (r) {
      if (r[0] > pos) target.appendChild(document.createTextNode(decoder.decode(bytes.subarray(pos, r[0]))));
      target.appendChild(el('mark', null, decoder.decode(bytes.subarray(r[0], r[1]))));
      pos = r[1];
    });
    if (pos < n) target.appendChild(document.createTextNode(decoder.decode(bytes.subarray(pos))));
  }
  function onlySpaces(bytes, a, b) {
    if (b - a > 3) return false;
    for (var i = a; i < b; i++) if (bytes[i] !== 0x20) return false;
    return true;
  }

  /* values: the most frequent ones the server sent; distinct: how many
     there were in all among the matches. */
  function renderFacet(field, values, distinct) {
    facetShown[field] = { values: values, distinct: distinct };
    var ul = els.facets[field];
    ul.textContent = '';
    var active = current[field];
    var wanted = foldText(facetFilter[field] || '');
    if (wanted) {
      values = values.filter(function (v) { return v && foldText(str(v.value)).indexOf(wanted) >= 0; });
    }
    facetSearchBox(field, distinct);
    var shown = values;
    var hiddenCount = 0;
    if (!expanded[field] && !wanted && values.length > FACET_SHOWN + 2) {
      shown = values.slice(0, FACET_SHOWN);
      /* keep the active value visible */
      values.slice(FACET_SHOWN).forEach(function (v) {
        if (v && valuesOf(active).indexOf(str(v.value)) >= 0) shown.push(v);
      });
      hiddenCount = values.length - shown.length;
    }
    shown.forEach(function (v) {
      if (!v || v.value === null || v.value === undefined) return;
      var value = str(v.value);
      var li = el('li');
      var b = el('button', 'facet');
      b.type = 'button';
      b.setAttribute('data-field', field);
      b.setAttribute('data-value', value);
      var on = valuesOf(active).indexOf(value) >= 0;
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
      b.appendChild(el('span', 'facet-value', value));
      b.appendChild(document.createTextNode(' '));
      var count = el('span', 'facet-count', '(' + (facetsEstimated ? '≈' : '') + num(v.count, 0) + ')');
      if (facetsEstimated) count.title = 'Ước tính từ một mẫu các văn bản tìm thấy';
      b.appendChild(count);
      if (on) b.title = 'Bỏ lọc ' + FILTER_LABELS[field].toLowerCase() + ': ' + value;
      li.appendChild(b);
      ul.appendChild(li);
    });
    if (hiddenCount > 0) {
      var more = el('button', 'more', 'Xem thêm ' + hiddenCount + '…');
      more.type = 'button';
      more.addEventListener('click', function () {
        expanded[field] = true;
        renderFacet(field, facetShown[field].values, distinct);
        var first = ul.querySelectorAll('button.facet')[shown.length];
        if (first) first.focus();
      });
      var li2 = el('li');
      li2.appendChild(more);
      ul.appendChild(li2);
    }
    /* The server sent the most frequent values only: every one is a click
     * away, not "and 60 more". */
    if (distinct > facetShown[field].values.length) {
      var all = el('button', 'more all', 'Xem tất cả ' + num(distinct, 0) + ' giá trị');
      all.type = 'button';
      all.addEventListener('click', function () { allFacetValues(field, true); });
      var li3 = el('li');
      li3.appendChild(all);
      ul.appendChild(li3);
    }
    if (!ul.children.length) ul.appendChild(el('li', 'none', wanted ? 'Không có giá trị nào khớp' : '—'));
  }

  /* The search whose counts a facet shows: the one on the page without
   * that facet's own filter, so that the other values stay in sight (and
   * can be chosen instead) once one is picked. */
  function facetSearch(field) {
    var s = Object.assign({}, current, { page: '', per_page: '1' });
    s[field] = '';
    return s;
  }

  /* Every value of a facet (up to the server's bound), then drawn; with
   * focus, the keyboard goes to the first value not shown before. */
  function allFacetValues(field, focus) {
    var before = facetShown[field] ? facetShown[field].values.length : 0;
    var url = apiSearchUrl(Object.assign(facetSearch(field), { facet_values: String(MAX_FACET_VALUES) }));
    var forUrl = location.search;
    return getJSON(url).then(function (data) {
      if (location.search !== forUrl) return;
      var values = Array.isArray(data.facets && data.facets[field]) ? data.facets[field].slice() : [];
      if (field === 'year') values.sort(function (a, b) { return str(b && b.value).localeCompare(str(a && a.value)); });
      expanded[field] = true;
      renderFacet(field, values, num(data.facets_distinct && data.facets_distinct[field], values.length));
      if (focus) {
        var next = els.facets[field].querySelectorAll('button.facet')[before];
        if (next) next.focus();
      }
    }, function (e) { if (!(e && e.name === 'AbortError')) showError(e.message || String(e)); });
  }

  /* A box above a long facet list that keeps the values holding what is
   * typed (accents or not); made once per facet, kept across answers. */
  function facetSearchBox(field, distinct) {
    var id = 'facet-' + field + '-search';
    var box = document.getElementById(id);
    var needed = distinct > FACET_SEARCH_FROM;
    if (!needed) {
      if (box && !box.value) box.parentNode.hidden = true;
      return;
    }
    if (box) { box.parentNode.hidden = false; return; }
    var wrap = el('div', 'facet-search');
    var label = el('label', 'visually-hidden', 'Tìm trong danh sách ' + FILTER_LABELS[field].toLowerCase());
    label.htmlFor = id;
    box = el('input');
    box.id = id;
    box.type = 'search';
    box.autocomplete = 'off';
    box.spellcheck = false;
    box.placeholder = 'Tìm trong danh sách…';
    box.addEventListener('input', function () {
      facetFilter[field] = box.value.trim();
      var shown = facetShown[field];
      /* the list holds only the most frequent values: fetch them all once */
      if (facetFilter[field] && shown.distinct > shown.values.length) allFacetValues(field, false);
      else renderFacet(field, shown.values, shown.distinct);
    });
    wrap.appendChild(label);
    wrap.appendChild(box);
    els.facets[field].parentNode.insertBefore(wrap, els.facets[field]);
  }
  function foldText(t) {
    return Array.from(t).map(foldChar).join('').trim();
  }

  function renderChips() {
    els.chips.textContent = '';
    var n = 0;
    ['issuer', 'year', 'doc_type', 'theme'].forEach(function (f) {
      if (!current[f]) return;
      /* a chip a value: each removed on its own */
      var values = MULTI.indexOf(f) >= 0 ? valuesOf(current[f]) : [current[f]];
      values.forEach(function (value) {
        n++;
        addChip(FILTER_LABELS[f] + ': ' + value, function () {
          if (f === 'theme') els.theme.value = '';
          setFilter(f, values.filter(function (v) { return v !== value; }).join(SEP));
        });
      });
    });
    if (current.deadline_from || current.deadline_to) {
      n++;
      var txt = 'Hạn: ' + (current.deadline_from ? 'từ ' + fmtDate(current.deadline_from) : '') +
        (current.deadline_from && current.deadline_to ? ' ' : '') +
        (current.deadline_to ? 'đến ' + fmtDate(current.deadline_to) : '');
      addChip(txt, function () {
        els.from.value = '';
        els.to.value = '';
        var s = Object.assign({}, current, { deadline_from: '', deadline_to: '', page: '' });
        navigate(searchUrl(s));
      });
    }
    if (DUE_NAMES[current.due]) {
      n++;
      addChip('Hạn: ' + DUE_NAMES[current.due], function () {
        els.due.value = '';
        navigate(searchUrl(Object.assign({}, current, { due: '', page: '' })));
      });
    }
    els.chips.hidden = n === 0;
    els.filterCount.textContent = n ? '(' + n + ')' : '';
  }
  function addChip(text, onRemove) {
    var li = el('li');
    var b = el('button', 'chip');
    b.type = 'button';
    b.appendChild(el('span', null, text));
    b.appendChild(el('span', 'x', '×'));
    b.setAttribute('aria-label', 'Bỏ lọc ' + text);
    var at = els.chips.children.length;
    b.addEventListener('click', function (e) {
      chipFocusAt = at;
      onRemove(e);
    });
    li.appendChild(b);
    els.chips.appendChild(li);
  }
  /* After a chip is removed the keyboard stays in the chips: on the one
   * that took its place, else the one before; with none left, on the
   * results. */
  function focusChip(at) {
    var left = els.chips.querySelectorAll('button.chip');
    if (left.length) left[Math.min(at, left.length - 1)].focus({ preventScroll: true });
    else focusResults();
  }

  /* After a back/forward: put the scroll and focus where they were. */
  function restoreView(opts) {
    var st = history.state || {};
    if (opts.popped) {
      window.scrollTo(0, typeof st.scroll === 'number' ? st.scroll : 0);
      if (st.focus) {
        var target = els.results.querySelector('a.subject[href="' + cssEscape(st.focus) + '"]');
        if (target) target.focus({ preventScroll: true });
      }
    } else if (opts.scrollTop) {
      var top = els.searchView.getBoundingClientRect().top + window.scrollY - 8;
      if (window.scrollY > top) window.scrollTo(0, top);
    }
  }
  /* Where a keyboard user's focus goes once the answer is drawn: into the
   * results after a search they asked for or a page turned, back on the
   * facet value they chose (its button was drawn anew). */
  function placeFocus(opts) {
    if (opts.focusFacet) {
      var b = els.facets[opts.focusFacet.field] && els.facets[opts.focusFacet.field].querySelector(
        'button.facet[data-value="' + cssEscape(opts.focusFacet.value) + '"]');
      if (b) { b.focus({ preventScroll: true }); return; }
      focusResults();
    } else if (opts.focusResults) {
      focusResults();
    }
  }
  /* The list when it has something (Tab then reaches the first result),
   * else the line that says why it is empty. */
  function focusResults() {
    var target = els.results.children.length ? els.results : els.total;
    target.focus({ preventScroll: true });
  }
  function cssEscape(s) {
    return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, '\\$&');
  }

  /* ---------------------------------------------------------------- */
  /* Document view                                                      */

  function showDoc(id, opts) {
    els.searchView.hidden = true;
    els.filters.hidden = true;
    els.doc.hidden = false;
    els.docBack.href = lastSearchUrl;
    setBusy(true);
    var forUrl = location.search;
    request(BASE + 'api/doc/' + encodeURIComponent(id), !!opts.popped).then(function (d) {
      if (location.search !== forUrl) return;
      clearError();
      renderDoc(d);
      rendered();
      if (opts.popped) {
        var st = history.state || {};
        window.scrollTo(0, typeof st.scroll === 'number' ? st.scroll : 0);
      } else {
        window.scrollTo(0, 0);
      }
      if (opts.focusDoc) els.docTitle.focus({ preventScroll: true });
    }, function (e) {
      if (e && e.name === 'AbortError') return;
      if (location.search !== forUrl) return;
      showError(e.message || String(e));
      clearDoc();
      els.docTitle.textContent = e.status === 404 ? 'Không tìm thấy văn bản' : 'Không mở được văn bản';
      document.title = els.docTitle.textContent + ' — Tra cứu công văn';
      rendered();
    });
  }

  function clearDoc() {
    els.docKind.textContent = '';
    els.docTitle.textContent = '';
    els.docMeta.tBodies[0].textContent = '';
    els.docText.textContent = '';
    els.docRefs.textContent = '';
    els.docCited.textContent = '';
    els.docRefsNone.hidden = true;
    els.docCitedNone.hidden = true;
  }

  function list(items, render) {
    var ul = el('ul', 'plain');
    items.forEach(function (x) {
      var li = el('li');
      var c = render(x);
      if (typeof c === 'string') li.textContent = c; else li.appendChild(c);
      ul.appendChild(li);
    });
    return ul;
  }
  function strings(v) {
    return (Array.isArray(v) ? v : []).filter(function (x) { return typeof x === 'string' && x; });
  }

  /* Folds one character as the index does: lower case, no diacritics,
   * đ as d. */
  function foldChar(c) {
    return c.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd');
  }
  /* The words of a query to mark: not the excluded ones nor the filters,
   * folded. */
  function searchedWords(q) {
    return str(q).split(/\s+/).filter(function (w) {
      return w && w[0] !== '-' && !/^[a-z_]+:/.test(w);
    }).map(function (w) {
      return Array.from(w).map(foldChar).join('').replace(/^[^0-9a-z]+|[^0-9a-z]+$/g, '');
    }).filter(Boolean);
  }
  /* Puts text into target with every whole-word match of words (folded)
   * in a <mark>. */
  function markWords(target, text, words) {
    target.textContent = '';
    if (!words.length) { target.textContent = text; return; }
    var chars = Array.from(text), folded = '', at = [];
    chars.forEach(function (c, i) {
      var f = foldChar(c);
      for (var k = 0; k < f.length; k++) { folded += f[k]; at.push(i); }
    });
    at.push(chars.length);
    var marks = [];
    words.forEach(function (w) {
      for (var i = folded.indexOf(w); i >= 0; i = folded.indexOf(w, i + 1)) {
        var before = i > 0 ? folded[i - 1] : ' ', after = folded[i + w.length] || ' ';
        if (/[0-9a-z]/.test(before) || /[0-9a-z]/.test(after)) continue;
        marks.push([at[i], at[i + w.length]]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      target.appendChild(document.createTextNode(chars.slice(pos, m[0]).join('')));
      target.appendChild(el('mark', null, chars.slice(m[0], m[1]).join('')));
      pos = m[1];
    });
    target.appendChild(document.createTextNode(chars.slice(pos).join('')));
  }

  function renderDoc(d) {
    clearDoc();
    var kind = [str(d.doc_type), numberSymbol(d)].filter(Boolean).join(' ');
    els.docKind.textContent = kind;
    els.docTitle.textContent = str(d.subject) || untitled(d);
    document.title = (str(d.subject) || untitled(d)) + ' — Tra cứu công văn';

    var rows = [];
    var ns = numberSymbol(d);
    if (ns) rows.push(['Số ký hiệu', ns]);
    if (d.date) rows.push(['Ngày', timeEl(d.date)]);
    if (d.issuer) rows.push(['Cơ quan ban hành', str(d.issuer)]);
    if (d.issuer_parent) rows.push(['Cơ quan chủ quản', str(d.issuer_parent)]);
    if (d.doc_type) rows.push(['Loại văn bản', str(d.doc_type)]);
    if (d.subject) rows.push(['Trích yếu', str(d.subject)]);
    var rec = strings(d.recipients);
    if (rec.length) rows.push(['Kính gửi', list(rec, function (x) { return x; })]);
    var themes = strings(d.themes);
    if (themes.length) rows.push(['Chủ đề', list(themes, function (x) { return x; })]);
    var slogans = strings(d.slogans);
    if (slogans.length) rows.push(['Khẩu hiệu', list(slogans, function (x) { return x; })]);
    var dls = (Array.isArray(d.deadlines) ? d.deadlines : []).filter(Boolean);
    if (dls.length) {
      rows.push(['Hạn', list(dls, function (x) {
        var f = document.createDocumentFragment();
        f.appendChild(deadlineBadge(x));
        if (x.text) {
          f.appendChild(document.createTextNode(' '));
          f.appendChild(el('span', 'deadline-text', str(x.text)));
        }
        return f;
      })]);
    }
    var per = d.period;
    if (per && (per.from || per.to)) {
      var pf = document.createDocumentFragment();
      if (per.from) { pf.appendChild(document.createTextNode('Từ ')); pf.appendChild(timeEl(per.from)); }
      if (per.from && per.to) pf.appendChild(document.createTextNode(' '));
      if (per.to) { pf.appendChild(document.createTextNode(per.from ? 'đến ' : 'Đến ')); pf.appendChild(timeEl(per.to)); }
      rows.push(['Thời gian thực hiện', pf]);
    }
    if (d.signer || d.signer_title || d.signer_authority) {
      var sg = document.createDocumentFragment();
      if (d.signer) sg.appendChild(el('span', 'signer', str(d.signer)));
      var role = [str(d.signer_title), d.signer_authority ? '(' + str(d.signer_authority) + ')' : '']
        .filter(Boolean).join(' ');
      if (role) {
        if (d.signer) sg.appendChild(document.createTextNode(', '));
        sg.appendChild(el('span', 'signer-title', role));
      }
      rows.push(['Người ký', sg]);
    }
    if (d.urgency) rows.push(['Độ khẩn', el('strong', 'urgency', str(d.urgency))]);
    if (d.secrecy) rows.push(['Độ mật', el('strong', 'secrecy', str(d.secrecy))]);
    if (d.id) {
      /* The file the archive holds, as the office wrote it. */
      var original = el('a', 'original', 'Tải tệp gốc' + (d.source_format ? ' (' + str(d.source_format).toUpperCase() + ')' : ''));
      original.href = 'api/doc/' + encodeURIComponent(d.id) + '/original';
      original.setAttribute('download', '');
      rows.push(['Tệp gốc', original]);
    }
    if (d.source_encoding && d.source_encoding !== 'UTF-8') {
      rows.push(['Bảng mã tệp gốc', str(d.source_encoding) + ' (đã chuyển sang Unicode)']);
    }
    if (d.pages) rows.push(['Số trang', String(d.pages)]);
    // Text read by OCR may hold misread words: the reader is told.
    if (d.ocr_pages) {
      rows.push(['Nhận dạng chữ (OCR)', d.ocr_pages + '/' + d.pages + ' trang, độ tin cậy trung bình ' +
        d.ocr_confidence + '%']);
    }

    var tbody = els.docMeta.tBodies[0];
    rows.forEach(function (row) {
      var tr = el('tr');
      var th = el('th', null, row[0]);
      th.scope = 'row';
      var td = el('td');
      if (typeof row[1] === 'string') td.textContent = row[1]; else td.appendChild(row[1]);
      tr.appendChild(th);
      tr.appendChild(td);
      tbody.appendChild(tr);
    });

    markWords(els.docText, str(d.text), searchedWords(docHighlight));

    var refs = (Array.isArray(d.references) ? d.references : []).filter(Boolean);
    refs.forEach(function (r) {
      var li = el('li');
      var label = [str(r.type) || 'Văn bản', r.number ? 'số ' + str(r.number) : '']
        .filter(Boolean).join(' ');
      if (r.id) {
        var a = el('a', 'ref', label);
        a.href = docUrl(str(r.id));
        li.appendChild(a);
      } else {
        li.appendChild(el('span', 'ref', label));
      }
      var rest = [];
      if (r.date) rest.push('ngày ' + fmtDate(r.date));
      if (r.issuer) rest.push('của ' + str(r.issuer));
      if (rest.length) li.appendChild(document.createTextNode(' ' + rest.join(' ')));
      var candidates = (Array.isArray(r.candidates) ? r.candidates : []).filter(Boolean);
      if (!r.id && candidates.length > 1) {
        // Several dispatches carry this number and fit: the reference
        // cannot tell which, so every one is offered.
        li.appendChild(el('span', 'absent', ' (có ' + candidates.length + ' văn bản trùng số: '));
        candidates.forEach(function (id, k) {
          var c = el('a', 'ref candidate', str(id));
          c.href = docUrl(str(id));
          if (k) li.appendChild(document.createTextNode(', '));
          li.appendChild(c);
        });
        li.appendChild(el('span', 'absent', ')'));
      } else if (!r.id) {
        li.appendChild(el('span', 'absent', ' (không có trong kho)'));
      }
      els.docRefs.appendChild(li);
    });
    els.docRefsNone.hidden = refs.length !== 0;

    var cited = (Array.isArray(d.cited_by) ? d.cited_by : []).filter(Boolean);
    cited.forEach(function (c) {
      var li = el('li');
      var a = el('a', 'ref', str(c.subject) || untitled(c));
      a.href = docUrl(str(c.id));
      li.appendChild(a);
      var bits = [numberLabel(c), str(c.issuer), c.date ? fmtDate(c.date) : ''].filter(Boolean);
      if (bits.length) li.appendChild(el('span', 'ref-meta', bits.join(' · ')));
      els.docCited.appendChild(li);
    });
    els.docCitedNone.hidden = cited.length !== 0;
  }

  /* ---------------------------------------------------------------- */
  /* Theme suggestions                                                  */

  function suggestThemes() {
    var v = els.theme.value.trim();
    if (suggestAbort) suggestAbort.abort();
    if (!v) { els.themeList.textContent = ''; return; }
    suggestAbort = new AbortController();
    getJSON(BASE + 'api/suggest?q=' + encodeURIComponent(v), suggestAbort.signal).then(function (data) {
      var themes = strings(data.themes);
      els.themeList.textContent = '';
      themes.forEach(function (t) {
        var o = document.createElement('option');
        o.value = t;
        els.themeList.appendChild(o);
      });
    }, function () { /* suggestions are a nicety; stay quiet */ });
  }
  function isSuggestion(v) {
    return Array.prototype.some.call(els.themeList.options, function (o) { return o.value === v; });
  }

  /* ---------------------------------------------------------------- */
  /* Wiring                                                             */

  function plainClick(e) {
    return e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey && !e.defaultPrevented;
  }

  els.q.addEventListener('input', function () {
    clearTimeout(typeTimer);
    typeTimer = setTimeout(function () { commitForm({ typing: true }); }, TYPE_DELAY);
  });

  els.form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(typeTimer);
    clearTimeout(dateTimer);
    commitForm({ typing: false, focusResults: true });
  });

  els.theme.addEventListener('input', function () {
    clearTimeout(suggestTimer);
    var v = els.theme.value.trim();
    if (v && isSuggestion(v)) { commitForm(); return; } /* picked from the list */
    suggestTimer = setTimeout(suggestThemes, SUGGEST_DELAY);
  });
  els.theme.addEventListener('change', function () { commitForm(); });

  /* A date commits once it is a whole dd/mm/yyyy (or emptied) while being
   * typed, and on leaving the box or Enter whatever it holds. */
  [els.from, els.to].forEach(function (inp) {
    inp.addEventListener('input', function () {
      clearTimeout(dateTimer);
      if (completeDate(inp.value)) dateTimer = setTimeout(function () { commitForm(); }, DATE_DELAY);
    });
    inp.addEventListener('change', function () {
      clearTimeout(dateTimer);
      commitForm();
    });
  });

  els.sort.addEventListener('change', function () { commitForm(); });
  /* one click takes the whole address, to copy */
  els.icsUrl.addEventListener('focus', function () { els.icsUrl.select(); });
  els.due.addEventListener('change', function () { commitForm(); });

  els.filters.addEventListener('click', function (e) {
    var b = e.target.closest('button.facet');
    if (!b) return;
    var field = b.getAttribute('data-field');
    var value = b.getAttribute('data-value');
    /* on a phone the open panel hides the results: fold it, the chip
     * stays, and focus goes to the results; on a wide screen it stays on
     * the value chosen */
    if (!wide.matches) els.filters.open = false;
    /* another value of a facet adds to it (any of them); a chosen one is
     * taken out */
    var chosen = valuesOf(current[field]);
    var at = chosen.indexOf(value);
    if (at >= 0) chosen.splice(at, 1); else chosen.push(value);
    setFilter(field, chosen.join(SEP),
              wide.matches ? { focusFacet: { field: field, value: value } } : { focusResults: true });
  });

  function goPage(btn) {
    var p = parseInt(btn.getAttribute('data-page'), 10) || 1;
    var s = Object.assign({}, current, { page: p > 1 ? String(p) : '' });
    navigate(searchUrl(s), { scrollTop: true, focusResults: true });
  }
  els.prev.addEventListener('click', function () { goPage(els.prev); });
  els.next.addEventListener('click', function () { goPage(els.next); });

  /* Links to documents open in place; with a modifier key, the browser's way. */
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[href]');
    if (!a || !plainClick(e) || a.target) return;
    if (a === els.docBack) {
      e.preventDefault();
      var st = history.state || {};
      if (st.backIsSearch && st.from === lastSearchUrl) history.back();
      else navigate(lastSearchUrl, { syncQ: true });
      return;
    }
    var url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname !== BASE) return;
    if (!url.searchParams.get('doc')) {
      /* a search the page offers (did you mean, drop a part): drawn in
       * place, the keyboard taken to its results */
      if (!a.classList.contains('suggestion') && !a.classList.contains('drop')) return;
      e.preventDefault();
      navigate(url.pathname + url.search, { syncQ: true, focusResults: true });
      return;
    }
    e.preventDefault();
    var fromSearch = els.doc.hidden;
    navigate(url.pathname + url.search, {
      from: fromSearch ? here() : lastSearchUrl,
      state: { backIsSearch: fromSearch },
      focusDoc: true,
      focusBack: fromSearch ? a.getAttribute('href') : null
    });
  });

  /* The skip link leads past the search box and every filter to what the
   * page shows, without a #fragment in the URL (the URL is the search). */
  $('skip').addEventListener('click', function (e) {
    e.preventDefault();
    if (els.doc.hidden) focusResults();
    else els.docTitle.focus();
  });

  window.addEventListener('popstate', function () {
    clearTimeout(typeTimer);
    route({ syncQ: true, popped: true });
  });

  document.addEventListener('keydown', function (e) {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    els.q.focus();
    els.q.select();
  });

  /* Filters fold away on narrow screens; wide screens always show them. */
  var wide = window.matchMedia('(min-width: 50em)');
  function layoutFilters() {
    if (wide.matches) els.filters.open = true;
    else els.filters.open = false;
  }
  if (wide.addEventListener) wide.addEventListener('change', layoutFilters);
  layoutFilters();
  els.filters.querySelector('summary').addEventListener('click', function (e) {
    if (wide.matches) e.preventDefault();
  });

  /* Who is signed in, in the header; nothing is shown to anonymous callers. */
  var levelNames = { staff: 'nội bộ', mat: 'Mật', 'toi-mat': 'Tối mật', 'tuyet-mat': 'Tuyệt mật', public: 'công khai' };
  getJSON('api/whoami').then(function (who) {
    if (!who || typeof who.user !== 'string') return;
    document.getElementById('who-name').textContent = who.user;
    document.getElementById('who-level').textContent = levelNames[who.level] || str(who.level);
    document.getElementById('who').hidden = false;
  }, function () { /* the page works the same without it */ });

  if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
  route({ syncQ: true, popped: true });
})();
