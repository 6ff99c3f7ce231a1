/* The words the dispatch parser looks for: labels, trigger words, the
 * prefixes of signatures and places, the mottos, and the few names it
 * writes itself.  One place to read them, to add a spelling or to see what
 * a change of wording in the dispatches would break.
 *
 * The parser matches on folded text (fold.h: lower case, no diacritics, "đ"
 * as "d"), so a word to match is written folded, with single spaces (a
 * space matches any run of spaces, fm in parse.h).  Where the diacritics
 * matter, the exact form stands beside the folded one.  What the parser
 * writes into the record is in normal Vietnamese spelling. */
#include "record/parse/parse.h"

/* ------------------------------------------------------------------ */
/* The header.                                                          */

const char voc_so[] = "so";             /* "Số": labels the number line, "Số: 1471/UBND-KGVX" */
/* (references.c reads "số" before a cited number letter by letter.) */
const char voc_vv[] = "v/v";            /* "V/v" (về việc): labels the subject line */
const char voc_ve_viec[] = "ve viec";   /* "Về việc": opens the subject under a title */
const char voc_can_cu[] = "can cu";     /* "Căn cứ": opens the legal grounds, which end a subject */
const char voc_kinh_gui[] = "kinh gui"; /* "Kính gửi": opens the recipients and ends the header */

/* "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" / "Độc lập - Tự do - Hạnh phúc":
 * the national motto beside the issuer, which is no part of its name. */
const char voc_cong_hoa[] = "cong hoa xa hoi chu nghia"; /* the motto's first line, up to "Việt Nam" */
const char voc_viet_nam[] = "viet nam";                  /* the rest of that line */
const char voc_doc_lap[] = "doc lap";                    /* the second line's start */
const char voc_doc_lap_tu_do[] = "doc lap tu do";        /* a line opening with the second line */
const char voc_doc_lap_tu_do_hanh_phuc[] = "doc lap tu do hanh phuc"; /* the second line, anywhere */
const char voc_hanh_phuc[] = "hanh phuc";                /* the second line's end */
/* "ĐẢNG CỘNG SẢN VIỆT NAM": the Party's motto, in place of the nation's. */
const char voc_dang_cong_san[] = "dang cong san viet nam";

/* The two motto lines as their letters alone, folded: extraction splits
 * them over lines ("CỘNG HÒA XÃ" / "HỘI CHỦ NGHĨA VIỆT NAM") or glues them
 * to a neighbour ("VIỆT NAMĐộc lập"), and the cleaning finds them in the
 * header's letters run together, whatever the spaces and line ends. */
const char *const voc_motto_letters[] = {
    "conghoaxahoichunghiavietnam", /* "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" */
    "doclaptudohanhphuc",          /* "Độc lập - Tự do - Hạnh phúc" */
};
_Static_assert(sizeof voc_motto_letters / sizeof *voc_motto_letters == VOC_MOTTO_LETTERS, "VOC_MOTTO_LETTERS");

/* Urgency, secrecy and circulation marks, as they stand alone in a
 * header, and as written into the record. */
const voc_mark_t voc_marks[] = {
    { "hoa toc", "Hỏa tốc", MARK_URGENCY, TC_ACCESS_PUBLIC },       /* "Hỏa tốc": the most urgent */
    { "thuong khan", "Thượng khẩn", MARK_URGENCY, TC_ACCESS_PUBLIC }, /* "Thượng khẩn": very urgent */
    { "khan", "Khẩn", MARK_URGENCY, TC_ACCESS_PUBLIC },             /* "Khẩn": urgent */
    { "tuyet mat", "Tuyệt mật", MARK_SECRECY, TC_ACCESS_TUYET_MAT },   /* "Tuyệt mật": top secret */
    { "toi mat", "Tối mật", MARK_SECRECY, TC_ACCESS_TOI_MAT },       /* "Tối mật": secret */
    { "mat", "Mật", MARK_SECRECY, TC_ACCESS_MAT },               /* "Mật": confidential */
    /* Not secret, but not for the public either: an office's own papers. */
    { "luu hanh noi bo", "Lưu hành nội bộ", MARK_CIRCULATION, TC_ACCESS_STAFF },          /* "LƯU HÀNH NỘI BỘ" */
    { "tai lieu luu hanh noi bo", "Lưu hành nội bộ", MARK_CIRCULATION, TC_ACCESS_STAFF }, /* "TÀI LIỆU LƯU HÀNH NỘI BỘ" */
    { "tai lieu noi bo", "Lưu hành nội bộ", MARK_CIRCULATION, TC_ACCESS_STAFF },          /* "TÀI LIỆU NỘI BỘ" */
    { "noi bo", "Lưu hành nội bộ", MARK_CIRCULATION, TC_ACCESS_STAFF },                   /* "NỘI BỘ" standing alone */
    { "xem xong tra lai", "Xem xong trả lại", MARK_CIRCULATION, TC_ACCESS_STAFF },        /* "XEM XONG TRẢ LẠI": read and return */
    { "xem xong tra lai ngay", "Xem xong trả lại", MARK_CIRCULATION, TC_ACCESS_STAFF },   /* "XEM XONG TRẢ LẠI NGAY" */
};
_Static_assert(sizeof voc_marks / sizeof *voc_marks == VOC_MARKS, "VOC_MARKS");
const char voc_do_khan[] = "do khan "; /* "Độ khẩn:": labels an urgency mark */
const char voc_do_mat[] = "do mat ";   /* "Độ mật:": labels a secrecy mark */

/* ------------------------------------------------------------------ */
/* Dates.                                                               */

const char voc_ngay[] = "ngay";   /* "ngày": the day of a date, "ngày 20 tháng 4 năm 2026" */
const char voc_thang[] = "thang"; /* "tháng": its month */
const char voc_nam[] = "nam";     /* "năm": its year */
/* A law, resolution or ordinance has no place and date under its number:
 * its date is its adoption's, in the closing line "Nghị quyết này được Ủy
 * ban Thường vụ Quốc hội ... thông qua ngày 16 tháng 6 năm 2025". */
const char voc_nay_duoc[] = "nay duoc";             /* "này được": the act itself, not one it cites */
const char voc_thong_qua_ngay[] = "thong qua ngay"; /* "thông qua ngày": adopted on */

/* ------------------------------------------------------------------ */
/* The document type.                                                   */

const char voc_cong_van[] = "Công văn"; /* the type of a dispatch with a V/v line */

/* What ends a title block (subject.c), as name keys.  The legal grounds,
 * opening a decision's or a resolution's body: */
const char *const voc_grounds[] = {
    "can cu",       /* "Căn cứ": under the law ... */
    "theo de nghi", /* "Theo đề nghị": on the proposal of ... */
    "xet de nghi",  /* "Xét đề nghị": having considered the proposal of ... */
};
_Static_assert(sizeof voc_grounds / sizeof *voc_grounds == VOC_GROUNDS, "VOC_GROUNDS");
/* The issuing authority standing between the title block and the grounds,
 * when it is a collective body or a head not in orgs.h's titles of office
 * ("CHỦ TỊCH", "GIÁM ĐỐC", "THỦ TƯỚNG" are there). */
const char *const voc_authorities[] = {
    "uy ban nhan dan",          /* "ỦY BAN NHÂN DÂN TỈNH ...": a people's committee */
    "hoi dong nhan dan",        /* "HỘI ĐỒNG NHÂN DÂN ... KHÓA ..., KỲ HỌP ...": a people's council */
    "chinh phu",                /* "CHÍNH PHỦ": the Government, issuing a decree */
    "quoc hoi",                 /* "QUỐC HỘI": the National Assembly */
    "uy ban thuong vu quoc hoi", /* "ỦY BAN THƯỜNG VỤ QUỐC HỘI": its Standing Committee */
    "ban thuong truc",          /* "BAN THƯỜNG TRỰC ...": a front's standing board */
    "ban thuong vu",            /* "BAN THƯỜNG VỤ ...": a Party or Union standing board */
    "ban chap hanh",            /* "BAN CHẤP HÀNH ...": an executive committee */
    "ban bi thu",               /* "BAN BÍ THƯ ...": a secretariat */
    "uy ban mat tran to quoc",  /* "ỦY BAN MẶT TRẬN TỔ QUỐC ...": a Fatherland Front committee */
    "uy ban bau cu",            /* "ỦY BAN BẦU CỬ ...": an election committee */
    "hoi dong",                 /* "HỘI ĐỒNG ...": a council or board */
};
_Static_assert(sizeof voc_authorities / sizeof *voc_authorities == VOC_AUTHORITIES, "VOC_AUTHORITIES");
/* Words that open a body's first paragraph, as written at its start
 * (capitalised, NFC): a subject in normal case wrapped onto a new line
 * goes on in lower case or with a name, never with these. */
const char *const voc_body_openers[] = {
    "Thực hiện ",     /* "Thực hiện Kế hoạch số ...": carrying out */
    "Triển khai ",    /* "Triển khai Nghị quyết ...": putting into effect */
    "Nhằm ",          /* "Nhằm ...": so as to */
    "Để ",            /* "Để ...": in order to */
    "Tiếp tục ",      /* "Tiếp tục ...": continuing */
    "Sau khi ",       /* "Sau khi xem xét ...": having */
    "Hiện nay",       /* "Hiện nay, ...": at present */
    "Thời gian qua",  /* "Thời gian qua, ...": lately */
};
_Static_assert(sizeof voc_body_openers / sizeof *voc_body_openers == VOC_BODY_OPENERS, "VOC_BODY_OPENERS");
/* How a recipient's line starts when "Kính gửi:" lists several without
 * bullets, one under the other, as text taken from a PDF does ("Ban
 * Thường vụ các tỉnh, thành đoàn" / "Ban Thư ký Hội liên hiệp thanh niên
 * các tỉnh"): a body, a head of one, or the bodies of a level. */
const char *const voc_recipient_openers[] = {
    "Ban ", "Các ", "Sở ", "Ủy ban ", "Uỷ ban ", "UBND ", "Hội ", "Phòng ", "Trường ", "Trung tâm ",
    "Bộ ", "Văn phòng ", "Thường trực ", "Đảng ủy ", "Đảng uỷ ", "Công an ", "Cục ", "Chi cục ",
    "Tỉnh đoàn ", "Thành đoàn ", "Đồng chí ", "Chủ tịch ", "Giám đốc ", "Thủ trưởng ", "Lãnh đạo ",
    "Kho bạc ", "Liên đoàn ", "Bệnh viện ", "Viện ", "Đài ", "Báo ",
};
_Static_assert(sizeof voc_recipient_openers / sizeof *voc_recipient_openers == VOC_RECIPIENT_OPENERS,
               "VOC_RECIPIENT_OPENERS");
/* Verbs of a body's first sentence, which starts as a recipient does
 * ("Sở Lao động - Thương binh và Xã hội nhận được Nghị định số ..."). */
const char *const voc_body_verbs[] = {
    "nhan duoc", /* "nhận được": has received */
    "de nghi",   /* "đề nghị": asks */
    "yeu cau",   /* "yêu cầu": requires */
    "thong bao", /* "thông báo": informs */
    "huong dan", /* "hướng dẫn": instructs */
    "xin",       /* "xin": begs to */
    "kinh gui",  /* "kính gửi": sends */
};
_Static_assert(sizeof voc_body_verbs / sizeof *voc_body_verbs == VOC_BODY_VERBS, "VOC_BODY_VERBS");
/* Words no subject ends on: a line of one that ends on them is wrapped and
 * goes on, across a blank line too ("Cuộc thi nhảy ... và" / "Cuộc thi
 * tranh biện ..."). */
const voc_word_t voc_open_ends[] = {
    { "va", "và" },     /* and */
    { "cua", "của" },   /* of */
    { "cho", "cho" },   /* for */
    { "ve", "về" },     /* about */
    { "voi", "với" },   /* with */
    { "tai", "tại" },   /* at */
    { "tren", "trên" }, /* on */
    { "trong", "trong" }, /* in */
    { "doi voi", "đối với" }, /* towards */
};
_Static_assert(sizeof voc_open_ends / sizeof *voc_open_ends == VOC_OPEN_ENDS, "VOC_OPEN_ENDS");

/* ------------------------------------------------------------------ */
/* Themes and slogans.                                                  */

const char voc_chu_de[] = "chu de";       /* "Chủ đề": labels the themes */
const char voc_khau_hieu[] = "khau hieu"; /* "Khẩu hiệu": labels the slogans */
/* The same, word by word: the quick test on a paragraph's folded text. */
const char *const voc_chu_de_words[2] = { "chu", "de" };
const char *const voc_khau_hieu_words[2] = { "khau", "hieu" };

/* ------------------------------------------------------------------ */
/* The period and the deadlines.                                        */

const char voc_tu_ngay[] = "tu ngay"; /* "Từ ngày": opens a period */
const char voc_den[] = "den";         /* "đến": between its two dates */
const char voc_het[] = "het";         /* "hết": "đến hết ngày", to the end of the day */

/* Phrases that set a deadline, and whether other words may come between
 * them and the date ("hạn chót nộp hồ sơ là ngày ..."), loose, or only
 * fillers and a time, strict.  deadlines.c finds them from their first two
 * letters (trigger_start) and from the 'h' or 'r' each has first or second
 * (has_trigger): a new phrase must pass both. */
const voc_trigger_t voc_deadline_triggers[] = {
    { "truoc", 0 },          /* "trước": before */
    { "cham nhat", 0 },      /* "chậm nhất": at the latest */
    { "khong muon hon", 0 }, /* "không muộn hơn": no later than */
    { "han cuoi", 1 },       /* "hạn cuối": final deadline */
    { "han chot", 1 },       /* "hạn chót": final deadline */
    { "han nop", 1 },        /* "hạn nộp": deadline for submission */
    { "thoi han", 1 },       /* "thời hạn": time limit */
};
_Static_assert(sizeof voc_deadline_triggers / sizeof *voc_deadline_triggers == VOC_DEADLINE_TRIGGERS,
               "VOC_DEADLINE_TRIGGERS");

/* Words that make a deadline recurring: "định kỳ báo cáo trước ngày 20/11
 * hằng năm" is every year's 20 November, not one day to index. */
const char *const voc_recurrences[] = {
    "hang nam",   /* "hằng năm", "hàng năm": every year */
    "hang quy",   /* "hằng quý": every quarter */
    "hang thang", /* "hằng tháng": every month */
    "dinh ky",    /* "định kỳ": periodically */
};
_Static_assert(sizeof voc_recurrences / sizeof *voc_recurrences == VOC_RECURRENCES, "VOC_RECURRENCES");

/* A deadline that is a month, a quarter or a year, "báo cáo kết quả trong
 * tháng 12 năm 2025", "hoàn thành trong Quý I/2026", "bàn giao trong năm
 * 2025": "trong" (within) and the unit, found only after a directive. */
const char voc_trong[] = "trong";             /* "trong": within */
const char voc_quy[] = "quy";                 /* "quý": quarter */
const char *const voc_quarter_numerals[] = { "i", "ii", "iii", "iv" };
/* What a dispatch orders done within the month, quarter or year: without
 * one of these, "trong năm 2025" is a report's "in 2025", not a deadline. */
const char *const voc_directives[] = {
    "bao cao",   /* "báo cáo": report */
    "hoan thanh", /* "hoàn thành": complete */
    "ban giao",  /* "bàn giao": hand over */
    "trinh",     /* "trình": submit for approval */
    "phe duyet", /* "phê duyệt": approve */
    "nop",       /* "nộp": file */
    "gui",       /* "gửi": send */
};
_Static_assert(sizeof voc_directives / sizeof *voc_directives == VOC_DIRECTIVES, "VOC_DIRECTIVES");

/* Words between a deadline phrase and its date that say nothing of it. */
const char *const voc_deadline_fillers[] = {
    "ngay",  /* "ngày": day */
    "la",    /* "là": is */
    "vao",   /* "vào": on */
    "truoc", /* "trước": before */
    "luc",   /* "lúc": at */
    "hom",   /* "hôm": the day of */
    "nhat",  /* "nhất", of "chậm nhất" */
    "cham",  /* "chậm", of "chậm nhất" */
};
_Static_assert(sizeof voc_deadline_fillers / sizeof *voc_deadline_fillers == VOC_DEADLINE_FILLERS,
               "VOC_DEADLINE_FILLERS");

/* A time of day before a deadline's date: "17 giờ 00 phút chiều". */
const char voc_gio[] = "gio";   /* "giờ": hours */
const char voc_phut[] = "phut"; /* "phút": minutes */
const char *const voc_day_parts[] = {
    "sang",  /* "sáng": morning */
    "chieu", /* "chiều": afternoon */
    "trua",  /* "trưa": noon */
    "toi",   /* "tối": evening */
};
_Static_assert(sizeof voc_day_parts / sizeof *voc_day_parts == VOC_DAY_PARTS, "VOC_DAY_PARTS");

/* ------------------------------------------------------------------ */
/* References.                                                          */

/* "của": opens the issuer of a cited document, "... số 12/KH của Sở Y tế". */
const voc_word_t voc_cua = { "cua", "của" };
/* "tại": "của <issuer> tại <Type> số ...", where the issuer comes first. */
const voc_word_t voc_tai = { "tai", "tại" };

/* Types cited by name, between the type and "số": "Luật Phòng, chống bệnh
 * truyền nhiễm số 03/2007/QH12".  Keys of orgs.h's document types. */
const char *const voc_named_acts[] = {
    "luat",      /* "Luật": a law */
    "phap lenh", /* "Pháp lệnh": an ordinance */
};
_Static_assert(sizeof voc_named_acts / sizeof *voc_named_acts == VOC_NAMED_ACTS, "VOC_NAMED_ACTS");

/* Openings of an annex's subtitle, folded: what follows is the document
 * itself, not one it cites ("(Kèm theo Quyết định số 378/QĐ-UBND ngày ...
 * của Chủ tịch UBND tỉnh)"). */
const char *const voc_annex_of[] = {
    "ban hanh kem theo", /* "Ban hành kèm theo": issued with */
    "kem theo",          /* "Kèm theo": attached to */
};
_Static_assert(sizeof voc_annex_of / sizeof *voc_annex_of == VOC_ANNEX_OF, "VOC_ANNEX_OF");

/* Joins the numbers of a list of citations: "số 1569/QĐ-TTg ... và số
 * 1668/QĐ-TTg". */
const char voc_va[] = "va"; /* "và": and */

/* Words that end a cited document's issuer: what follows the name in the
 * sentence ("của Sở Y tế về việc ..."), with the exact form, so that a word
 * of the name with the same letters ("Chi cục Thủy lợi và Đê điều": "đê",
 * not "để") does not. */
const voc_word_t voc_issuer_stops[] = {
    { "ve", "về" },                 /* about */
    { "gui", "gửi" },               /* sent to */
    { "tai", "tại" },               /* at */
    { "quy dinh", "quy định" },     /* setting out */
    { "huong dan", "hướng dẫn" },   /* guiding */
    { "ban hanh", "ban hành" },     /* issuing */
    { "da", "đã" },                 /* has (done) */
    { "duoc", "được" },             /* was (done) */
    { "nham", "nhằm" },             /* so as to */
    { "theo", "theo" },             /* according to */
    { "trong", "trong" },           /* in */
    { "cho", "cho" },               /* for */
    { "thi", "thì" },               /* then */
    { "de", "để" },                 /* in order to */
    { "de nghi", "đề nghị" },       /* requesting */
    { "ngay", "ngày" },             /* dated */
    { "va chi dao", "và chỉ đạo" }, /* and directing */
    { "dong thoi", "đồng thời" },   /* at the same time */
    { "yeu cau", "yêu cầu" },       /* requiring */
    { "trien khai", "triển khai" }, /* carrying out */
    { "thuc hien", "thực hiện" },   /* implementing */
    { "voi", "với" },               /* with */
    { "tren", "trên" },             /* on */
    { "nay", "này" },               /* this */
    { "kem theo", "kèm theo" },     /* attached */
    { "dang", "đang" },             /* is (doing) */
    { "se", "sẽ" },                 /* will */
};
_Static_assert(sizeof voc_issuer_stops / sizeof *voc_issuer_stops == VOC_ISSUER_STOPS, "VOC_ISSUER_STOPS");

/* ------------------------------------------------------------------ */
/* Bodies and places.                                                   */

/* Org words of national bodies, as orgs.h writes them: named without a
 * locality ("Bộ Y tế", not "Bộ Y tế tỉnh ..."). */
const char voc_bo[] = "Bộ";             /* a ministry */
const char voc_tong_cuc[] = "Tổng cục"; /* a general department */
const char voc_cuc[] = "Cục";           /* a department */
/* "xã hội" (society), whose "xã" is not the locality word "xã" (commune):
 * "Lao động - Thương binh và Xã hội". */
const char voc_xa_hoi[] = "xa hoi";
/* "b", the "B" of "Bộ" that opens a ministry's code: "LĐTBXH-ATLĐ" is tried
 * as "BLĐTBXH", a ministry signing with its field alone. */
const char voc_bo_code[] = "b";

/* The Youth Union heads its dispatches as the Party does: its committee on
 * the left ("BAN CHẤP HÀNH TRUNG ƯƠNG", "BCH TỈNH ĐOÀN ..."), the union's
 * name on the right where the state has the national motto.  A committee
 * named without its union takes the union's name from that line. */
const char voc_ban_chap_hanh[] = "ban chap hanh"; /* "Ban Chấp hành": a committee, as name key */
const char *const voc_union_lines[] = {
    "doan tncs ho chi minh",                /* "ĐOÀN TNCS HỒ CHÍ MINH" */
    "doan thanh nien cong san ho chi minh", /* the same, in full */
};
_Static_assert(sizeof voc_union_lines / sizeof *voc_union_lines == VOC_UNION_LINES, "VOC_UNION_LINES");
const char voc_union_name[] = "Đoàn TNCS Hồ Chí Minh"; /* as written after the committee */
const char voc_doan[] = "doan";                         /* "Đoàn": the union already named */
/* The Party's committees of a place, whose name is the place's: "TỈNH ỦY
 * QUẢNG NINH" is "Tỉnh ủy Quảng Ninh". */
const char *const voc_place_committees[] = { "Tỉnh ủy", "Thành ủy", "Huyện ủy", "Quận ủy", "Thị ủy" };
_Static_assert(sizeof voc_place_committees / sizeof *voc_place_committees == VOC_PLACE_COMMITTEES,
               "VOC_PLACE_COMMITTEES");
/* A committee's departments, named by their committee: "BAN CHẤP HÀNH
 * TRUNG ƯƠNG / VĂN PHÒNG" is the "Văn phòng Trung ương Đảng", "TỈNH ỦY
 * QUẢNG NINH / BAN TUYÊN GIÁO" the "Ban Tuyên giáo Tỉnh ủy Quảng Ninh". */
const char *const voc_committee_departments[] = {
    "ban",          /* "Ban Tổ chức", "Ban Tuyên giáo", "Ban Dân vận" ... */
    "van phong",    /* "Văn phòng": the committee's office */
    "uy ban kiem tra", /* "Ủy ban Kiểm tra": its inspection commission */
};
_Static_assert(sizeof voc_committee_departments / sizeof *voc_committee_departments == VOC_COMMITTEE_DEPARTMENTS,
               "VOC_COMMITTEE_DEPARTMENTS");
const char voc_central_committee[] = "ban chap hanh trung uong"; /* the Party's, as name key */
const char voc_central[] = "Trung ương";                  /* the central committee's departments' mark */
const char voc_office_key[] = "van phong";                       /* "Văn phòng": an office, as name key */
const char voc_central_office[] = "Văn phòng Trung ương Đảng"; /* the central committee's, so named */
/* A chairman's decision heads its left column with the office, not the
 * body: "CHỦ TỊCH ỦY BAN NHÂN DÂN" / "TỈNH GIA LAI"; the issuer is the
 * office, named with its body. */
const char voc_chu_tich[] = "chu tich ";   /* "Chủ tịch": chairman, as name key with its space */
const char voc_chu_tich_name[] = "Chủ tịch"; /* as written before the body */

/* The level a place may be written with ("Thành phố Hà Nội", "TP. Huế",
 * "Tỉnh Lai Châu"), as name keys with their space: dropped before the
 * province is looked up. */
const char *const voc_place_prefixes[] = {
    "thanh pho ", /* "Thành phố": a city */
    "tp ",        /* "TP.": the same, abbreviated */
    "tinh ",      /* "Tỉnh": a province */
};
_Static_assert(sizeof voc_place_prefixes / sizeof *voc_place_prefixes == VOC_PLACE_PREFIXES,
               "VOC_PLACE_PREFIXES");
/* What the issuer's locality is written with when the place is a province
 * or a centrally-run city. */
const char voc_city[] = "thành phố";
const char voc_province[] = "tỉnh";

/* Levels of local government written before a place in the body ("huyện
 * Chi Lăng"): the place is theirs. */
const char *const voc_place_levels[] = {
    "thanh pho", /* "thành phố": city */
    "thi xa",    /* "thị xã": town */
    "thi tran",  /* "thị trấn": township */
    "huyen",     /* "huyện": district */
    "quan",      /* "quận": urban district */
    "phuong",    /* "phường": ward */
    "xa",        /* "xã": commune */
    "dac khu",   /* "đặc khu": special zone */
    "tinh",      /* "tỉnh": province */
};
_Static_assert(sizeof voc_place_levels / sizeof *voc_place_levels == VOC_PLACE_LEVELS, "VOC_PLACE_LEVELS");

/* ------------------------------------------------------------------ */
/* The signature.                                                       */

/* Prefixes of an authority line, folded, before their '.': the signer
 * signs for another.  With a '/', the dot may be left out ("T/M"). */
const char *const voc_sig_prefixes[] = {
    "tuq", /* "TUQ.": thừa ủy quyền, by delegation */
    "kt",  /* "KT.": ký thay, signing in place of the head */
    "tm",  /* "TM.": thay mặt, on behalf of a collective body */
    "tl",  /* "TL.": thừa lệnh, by order */
    "q",   /* "Q.": quyền, acting */
    "t/m", /* "T/M": thay mặt, as some write it */
    "k/t", /* "K/T": ký thay, as some write it */
    "t/l", /* "T/L": thừa lệnh, as some write it */
};
_Static_assert(sizeof voc_sig_prefixes / sizeof *voc_sig_prefixes == VOC_SIG_PREFIXES, "VOC_SIG_PREFIXES");

/* Lines between the title and the signer's name, passed over. */
const char voc_da_ky[] = "da ky";       /* "(Đã ký)": signed, in a copy */
const char voc_ky_ten[] = "ky ten";     /* "(Ký tên, đóng dấu)": signature and seal */
const char voc_noi_nhan[] = "noi nhan"; /* "Nơi nhận:": the copy list set beside the signature */

/* Ordinals that end a title, written in lower case: "BÍ THƯ THỨ NHẤT" is
 * "Bí thư thứ nhất" (the Youth Union's first secretary), no body's name. */
const voc_word_t voc_title_ordinals[] = {
    { "thu nhat", "thứ nhất" }, /* first */
    { "thu hai", "thứ hai" },   /* second */
    { "thu ba", "thứ ba" },     /* third */
};
_Static_assert(sizeof voc_title_ordinals / sizeof *voc_title_ordinals == VOC_TITLE_ORDINALS, "VOC_TITLE_ORDINALS");
