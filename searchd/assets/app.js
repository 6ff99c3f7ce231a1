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
                'deadline_to', 'due', 'sort', 'page', 'per_page'];
  var DUE_NAMES = { overdue: 'Quá hạn', soon: 'Sắp đến hạn' };
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
  var UPCOMING_DAYS = 14;

  var $ = function (id) { return document.getElementById(id); };
  var els = {
    form: $('search-form'), q: $('q'), theme: $('theme'), themeList: $('theme-list'),
    from: $('deadline-from'), to: $('deadline-to'), due: $('due'), sort: $('sort'), csv: $('csv'),
    filters: $('filters'), filterCount: $('filter-count'), chips: $('chips'),
    total: $('total'), results: $('results'), empty: $('empty'),
    prev: $('prev'), next: $('next'), range: $('range'),
    searchView: $('search-view'), doc: $('doc'), docBack: $('doc-back'),
    docKind: $('doc-kind'), docTitle: $('doc-title'), docMeta: $('doc-meta'),
    docText: $('doc-text'), docRefs: $('doc-references'), docRefsNone: $('doc-references-none'),
    docCited: $('doc-cited-by'), docCitedNone: $('doc-cited-by-none'),
    error: $('error'), ics: $('ics'), pager: $('pager'),
    facets: { issuer: $('facet-issuer'), year: $('facet-year'), doc_type: $('facet-doc_type') }
  };

  var current = emptySearch(); /* the search the page shows or last showed */
  var lastSearchUrl = '/';     /* where "Quay lại kết quả" leads */
  var docHighlight = '';   /* the words searched for, marked in a dispatch's text */
  var inflight = null;         /* AbortController of the running request */
  var typeTimer = 0, dateTimer = 0, suggestTimer = 0, suggestAbort = null;
  var expanded = {};           /* facet lists the user unfolded */
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
    if (f_sort(s.sort) === 'relevance') s.sort = '';
    if (!/^[1-9][0-9]*$/.test(s.page) || s.page === '1') s.page = '';
    return { search: s };
  }
  function f_sort(v) { return v === 'date' ? 'date' : 'relevance'; }

  /* The canonical query string of a search: defaults left out. */
  function searchQuery(s) {
    var p = new URLSearchParams();
    FIELDS.forEach(function (f) {
      var v = s[f];
      if (v === undefined || v === null || v === '') return;
      if (f === 'sort' && v === 'relevance') return;
      if (f === 'page' && String(v) === '1') return;
      p.set(f, v);
    });
    return p.toString();
  }
  function searchUrl(s) {
    var qs = searchQuery(s);
    return qs ? '/?' + qs : '/';
  }
  // hl: the words searched for, marked in the dispatch's text.
  function docUrl(id, hl) {
    var p = { doc: id };
    if (hl) p.hl = hl;
    return '/?' + new URLSearchParams(p).toString();
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
    route({ syncQ: !!opts.syncQ, focusDoc: !!opts.focusDoc, scrollTop: !!opts.scrollTop });
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
    var s = Object.assign({}, current, {
      q: els.q.value.trim(),
      theme: els.theme.value.trim(),
      /* a date input cannot show a value like "2026-05" from the URL: keep it */
      deadline_from: els.from.value || (validIso(current.deadline_from) ? '' : current.deadline_from),
      deadline_to: els.to.value || (validIso(current.deadline_to) ? '' : current.deadline_to),
      due: DUE_NAMES[els.due.value] ? els.due.value : '',
      sort: els.sort.value === 'date' ? 'date' : '',
      page: ''
    });
    var url = searchUrl(s);
    var inDoc = !els.doc.hidden;
    if (!inDoc && sameSearch(s, current) && url === here()) return;
    navigate(url, opts);
  }

  function setFilter(field, value) {
    var s = Object.assign({}, current);
    s[field] = value;
    s.page = '';
    navigate(searchUrl(s), { syncQ: false });
  }

  /* Puts the search in `current` into the form (after load or back). */
  function syncInputs(withQ) {
    if (withQ || document.activeElement !== els.q) els.q.value = current.q;
    if (document.activeElement !== els.theme) els.theme.value = current.theme;
    els.from.value = validIso(current.deadline_from) ? current.deadline_from : '';
    els.to.value = validIso(current.deadline_to) ? current.deadline_to : '';
    els.due.value = DUE_NAMES[current.due] ? current.due : '';
    els.sort.value = current.sort === 'date' ? 'date' : 'relevance';
  }
  function validIso(v) { return /^\d{4}-\d{2}-\d{2}$/.test(v || ''); }

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
            var msg = data && typeof data.error === 'string' && data.error
              ? data.error : 'Máy chủ báo lỗi (HTTP ' + res.status + ').';
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
    FIELDS.forEach(function (f) { if (s[f]) p.set(f, s[f]); });
    return '/api/search?' + p.toString();
  }

  function runSearch(opts) {
    els.doc.hidden = true;
    els.searchView.hidden = false;
    els.filters.hidden = false;
    document.title = current.q ? current.q + ' — Tra cứu công văn' : 'Tra cứu công văn';
    renderChips();
    setBusy(true);
    var popped = !!opts.popped;
    var forUrl = location.search;
    request(apiSearchUrl(current), popped).then(function (data) {
      if (location.search !== forUrl) return;
      clearError();
      renderResults(data);
      rendered();
      restoreView(opts);
    }, function (e) {
      if (e && e.name === 'AbortError') return;
      if (location.search !== forUrl) return;
      showError(e.message || String(e));
      clearResults();
      rendered();
    });
  }

  function clearResults() {
    els.results.textContent = '';
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

  function renderResults(data) {
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
    if (data.corrected && data.suggestion)
      els.total.textContent = 'Không tìm thấy “' + current.q + '”; đang hiện kết quả cho “' +
        str(data.suggestion) + '”: ' + els.total.textContent.toLowerCase();
    // Nothing matches all of it: the parts without which something would.
    var without = (Array.isArray(data.without) ? data.without : []).filter(Boolean);
    if (total === 0 && without.length)
      els.total.textContent += '; bỏ ' + without.map(function (w) {
        return '«' + str(w.part) + '» thì có ' + num(w.total, 0).toLocaleString('vi-VN') + ' văn bản';
      }).join(', bỏ ');
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
    els.ics.href = '/api/deadlines.ics' + (ics.toString() ? '?' + ics.toString() : '');
    // Every match of the search, not the page shown.
    els.csv.href = '/api/search.csv' + (ics.toString() ? '?' + ics.toString() : '');

    var facets = data.facets || {};
    var distinct = data.facets_distinct || {};
    facetsEstimated = data.facets_exact === false;
    Object.keys(els.facets).forEach(function (field) {
      var values = Array.isArray(facets[field]) ? facets[field].slice() : [];
      /* years read best newest first */
      if (field === 'year') values.sort(function (a, b) { return str(b && b.value).localeCompare(str(a && a.value)); });
      renderFacet(field, values, num(distinct[field], values.length));
    });
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
  function deadlineState(iso) {
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
    var ul = els.facets[field];
    ul.textContent = '';
    var active = current[field];
    var shown = values;
    var hiddenCount = 0;
    if (!expanded[field] && values.length > FACET_SHOWN + 2) {
      shown = values.slice(0, FACET_SHOWN);
      /* keep the active value visible */
      values.slice(FACET_SHOWN).forEach(function (v) {
        if (v && str(v.value) === active) shown.push(v);
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
      var on = value === active;
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
        renderFacet(field, values, distinct);
        var first = ul.querySelectorAll('button.facet')[shown.length];
        if (first) first.focus();
      });
      var li2 = el('li');
      li2.appendChild(more);
      ul.appendChild(li2);
    }
    if (!hiddenCount && distinct > values.length)
      ul.appendChild(el('li', 'none', 'và ' + num(distinct - values.length, 0) + ' giá trị khác'));
    if (!ul.children.length) ul.appendChild(el('li', 'none', '—'));
  }

  function renderChips() {
    els.chips.textContent = '';
    var n = 0;
    ['issuer', 'year', 'doc_type', 'theme'].forEach(function (f) {
      if (!current[f]) return;
      n++;
      addChip(FILTER_LABELS[f] + ': ' + current[f], function () {
        if (f === 'theme') els.theme.value = '';
        setFilter(f, '');
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
    b.addEventListener('click', onRemove);
    li.appendChild(b);
    els.chips.appendChild(li);
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
    request('/api/doc/' + encodeURIComponent(id), !!opts.popped).then(function (d) {
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
    if (d.source_encoding && d.source_encoding !== 'UTF-8') {
      rows.push(['Bảng mã tệp gốc', str(d.source_encoding) + ' (đã chuyển sang Unicode)']);
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
    getJSON('/api/suggest?q=' + encodeURIComponent(v), suggestAbort.signal).then(function (data) {
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
    commitForm({ typing: false });
  });

  els.theme.addEventListener('input', function () {
    clearTimeout(suggestTimer);
    var v = els.theme.value.trim();
    if (v && isSuggestion(v)) { commitForm(); return; } /* picked from the list */
    suggestTimer = setTimeout(suggestThemes, SUGGEST_DELAY);
  });
  els.theme.addEventListener('change', function () { commitForm(); });

  [els.from, els.to].forEach(function (inp) {
    inp.addEventListener('input', function () {
      clearTimeout(dateTimer);
      dateTimer = setTimeout(function () { commitForm(); }, DATE_DELAY);
    });
    inp.addEventListener('change', function () {
      clearTimeout(dateTimer);
      dateTimer = setTimeout(function () { commitForm(); }, DATE_DELAY);
    });
  });

  els.sort.addEventListener('change', function () { commitForm(); });
  els.due.addEventListener('change', function () { commitForm(); });

  els.filters.addEventListener('click', function (e) {
    var b = e.target.closest('button.facet');
    if (!b) return;
    var field = b.getAttribute('data-field');
    var value = b.getAttribute('data-value');
    setFilter(field, current[field] === value ? '' : value);
    /* on a phone the open panel hides the results: fold it, the chip stays */
    if (!wide.matches) els.filters.open = false;
  });

  function goPage(btn) {
    var p = parseInt(btn.getAttribute('data-page'), 10) || 1;
    var s = Object.assign({}, current, { page: p > 1 ? String(p) : '' });
    navigate(searchUrl(s), { scrollTop: true });
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
    if (url.origin !== location.origin || url.pathname !== '/' || !url.searchParams.get('doc')) return;
    e.preventDefault();
    var fromSearch = els.doc.hidden;
    navigate(url.pathname + url.search, {
      from: fromSearch ? here() : lastSearchUrl,
      state: { backIsSearch: fromSearch },
      focusDoc: true,
      focusBack: fromSearch ? a.getAttribute('href') : null
    });
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

  if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
  route({ syncQ: true, popped: true });
})();
