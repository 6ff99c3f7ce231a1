/* Tables of public bodies, abbreviations, provinces, titles and document
 * types (see orgs.h).  The keys are written out folded so that lookups need
 * no ICU. */
#include "record/orgs.h"

#include <pthread.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Abbreviations: one table for symbols, header words and queries.      */

typedef struct {
    const char *key; /* folded, no whitespace */
    const char *expansion;
    tc_abbrev_kind_t kind;
} abbrev_t;

static const abbrev_t abbrevs[] = {
    /* Local bodies. */
    { "ubnd", "Ủy ban nhân dân", TC_ABBREV_ORG },
    { "hdnd", "Hội đồng nhân dân", TC_ABBREV_ORG },
    { "vpubnd", "Văn phòng Ủy ban nhân dân", TC_ABBREV_ORG },
    { "ubmttq", "Ủy ban Mặt trận Tổ quốc Việt Nam", TC_ABBREV_ORG },
    /* The Front's bodies name themselves "MTTQ tỉnh ...", "Ban Thường trực
     * MTTQ xã ..." as often as "Ủy ban MTTQ". */
    { "mttq", "Mặt trận Tổ quốc", TC_ABBREV_ORG },
    { "mttqvn", "Mặt trận Tổ quốc Việt Nam", TC_ABBREV_ORG },
    { "skhcn", "Sở Khoa học và Công nghệ", TC_ABBREV_ORG },
    { "skh&cn", "Sở Khoa học và Công nghệ", TC_ABBREV_ORG },
    { "syt", "Sở Y tế", TC_ABBREV_ORG },
    { "sgddt", "Sở Giáo dục và Đào tạo", TC_ABBREV_ORG },
    { "sgd&dt", "Sở Giáo dục và Đào tạo", TC_ABBREV_ORG },
    { "stc", "Sở Tài chính", TC_ABBREV_ORG },
    { "snv", "Sở Nội vụ", TC_ABBREV_ORG },
    { "stp", "Sở Tư pháp", TC_ABBREV_ORG },
    { "sxd", "Sở Xây dựng", TC_ABBREV_ORG },
    { "sct", "Sở Công Thương", TC_ABBREV_ORG },
    { "stnmt", "Sở Tài nguyên và Môi trường", TC_ABBREV_ORG },
    { "stn&mt", "Sở Tài nguyên và Môi trường", TC_ABBREV_ORG },
    { "snnptnt", "Sở Nông nghiệp và Phát triển nông thôn", TC_ABBREV_ORG },
    { "snn", "Sở Nông nghiệp và Phát triển nông thôn", TC_ABBREV_ORG },
    { "snn&ptnt", "Sở Nông nghiệp và Phát triển nông thôn", TC_ABBREV_ORG },
    { "snnmt", "Sở Nông nghiệp và Môi trường", TC_ABBREV_ORG },
    { "snn&mt", "Sở Nông nghiệp và Môi trường", TC_ABBREV_ORG },
    { "svhttdl", "Sở Văn hóa, Thể thao và Du lịch", TC_ABBREV_ORG },
    { "svhtt", "Sở Văn hóa và Thể thao", TC_ABBREV_ORG },
    { "sdl", "Sở Du lịch", TC_ABBREV_ORG },
    { "sldtbxh", "Sở Lao động - Thương binh và Xã hội", TC_ABBREV_ORG },
    { "sld-tb&xh", "Sở Lao động - Thương binh và Xã hội", TC_ABBREV_ORG },
    { "skhdt", "Sở Kế hoạch và Đầu tư", TC_ABBREV_ORG },
    { "skh&dt", "Sở Kế hoạch và Đầu tư", TC_ABBREV_ORG },
    { "sgtvt", "Sở Giao thông vận tải", TC_ABBREV_ORG },
    { "stttt", "Sở Thông tin và Truyền thông", TC_ABBREV_ORG },
    { "stt&tt", "Sở Thông tin và Truyền thông", TC_ABBREV_ORG },
    { "sdttg", "Sở Dân tộc và Tôn giáo", TC_ABBREV_ORG },
    { "sngv", "Sở Ngoại vụ", TC_ABBREV_ORG },
    { "bqlkkt", "Ban Quản lý Khu kinh tế", TC_ABBREV_ORG },
    { "bqlkcn", "Ban Quản lý các Khu công nghiệp", TC_ABBREV_ORG },
    { "bdt", "Ban Dân tộc", TC_ABBREV_ORG },
    { "bchqs", "Bộ Chỉ huy Quân sự", TC_ABBREV_ORG },
    /* National bodies. */
    { "bkhcn", "Bộ Khoa học và Công nghệ", TC_ABBREV_ORG_CENTRAL },
    { "bkh&cn", "Bộ Khoa học và Công nghệ", TC_ABBREV_ORG_CENTRAL },
    { "byt", "Bộ Y tế", TC_ABBREV_ORG_CENTRAL },
    { "bgddt", "Bộ Giáo dục và Đào tạo", TC_ABBREV_ORG_CENTRAL },
    { "bgd&dt", "Bộ Giáo dục và Đào tạo", TC_ABBREV_ORG_CENTRAL },
    { "btc", "Bộ Tài chính", TC_ABBREV_ORG_CENTRAL },
    { "bnv", "Bộ Nội vụ", TC_ABBREV_ORG_CENTRAL },
    { "btp", "Bộ Tư pháp", TC_ABBREV_ORG_CENTRAL },
    { "bxd", "Bộ Xây dựng", TC_ABBREV_ORG_CENTRAL },
    { "bct", "Bộ Công Thương", TC_ABBREV_ORG_CENTRAL },
    { "btnmt", "Bộ Tài nguyên và Môi trường", TC_ABBREV_ORG_CENTRAL },
    { "bnnptnt", "Bộ Nông nghiệp và Phát triển nông thôn", TC_ABBREV_ORG_CENTRAL },
    { "bnn&ptnt", "Bộ Nông nghiệp và Phát triển nông thôn", TC_ABBREV_ORG_CENTRAL },
    { "bnn", "Bộ Nông nghiệp và Phát triển nông thôn", TC_ABBREV_ORG_CENTRAL }, /* its symbols: "BNN-TY" */
    { "bnnmt", "Bộ Nông nghiệp và Môi trường", TC_ABBREV_ORG_CENTRAL },
    { "bvhttdl", "Bộ Văn hóa, Thể thao và Du lịch", TC_ABBREV_ORG_CENTRAL },
    { "bldtbxh", "Bộ Lao động - Thương binh và Xã hội", TC_ABBREV_ORG_CENTRAL },
    { "bld-tb&xh", "Bộ Lao động - Thương binh và Xã hội", TC_ABBREV_ORG_CENTRAL },
    { "bkhdt", "Bộ Kế hoạch và Đầu tư", TC_ABBREV_ORG_CENTRAL },
    { "bgtvt", "Bộ Giao thông vận tải", TC_ABBREV_ORG_CENTRAL },
    { "btttt", "Bộ Thông tin và Truyền thông", TC_ABBREV_ORG_CENTRAL },
    { "bng", "Bộ Ngoại giao", TC_ABBREV_ORG_CENTRAL },
    { "bqp", "Bộ Quốc phòng", TC_ABBREV_ORG_CENTRAL },
    { "bca", "Bộ Công an", TC_ABBREV_ORG_CENTRAL },
    { "vpcp", "Văn phòng Chính phủ", TC_ABBREV_ORG_CENTRAL },
    { "ttg", "Thủ tướng Chính phủ", TC_ABBREV_ORG_CENTRAL },
    /* Parts of names. */
    { "kh&cn", "Khoa học và Công nghệ", TC_ABBREV_PART },
    { "khcn", "Khoa học và Công nghệ", TC_ABBREV_PART },
    { "gd&dt", "Giáo dục và Đào tạo", TC_ABBREV_PART },
    { "gddt", "Giáo dục và Đào tạo", TC_ABBREV_PART },
    { "kh&dt", "Kế hoạch và Đầu tư", TC_ABBREV_PART },
    { "khdt", "Kế hoạch và Đầu tư", TC_ABBREV_PART },
    { "tn&mt", "Tài nguyên và Môi trường", TC_ABBREV_PART },
    { "tnmt", "Tài nguyên và Môi trường", TC_ABBREV_PART },
    { "nn&ptnt", "Nông nghiệp và Phát triển nông thôn", TC_ABBREV_PART },
    { "nnptnt", "Nông nghiệp và Phát triển nông thôn", TC_ABBREV_PART },
    { "nn&mt", "Nông nghiệp và Môi trường", TC_ABBREV_PART },
    { "nnmt", "Nông nghiệp và Môi trường", TC_ABBREV_PART },
    { "tt&tt", "Thông tin và Truyền thông", TC_ABBREV_PART },
    { "tttt", "Thông tin và Truyền thông", TC_ABBREV_PART },
    { "vhttdl", "Văn hóa, Thể thao và Du lịch", TC_ABBREV_PART },
    { "vh,tt&dl", "Văn hóa, Thể thao và Du lịch", TC_ABBREV_PART },
    { "ldtbxh", "Lao động - Thương binh và Xã hội", TC_ABBREV_PART },
    { "ld-tb&xh", "Lao động - Thương binh và Xã hội", TC_ABBREV_PART },
    { "gtvt", "Giao thông vận tải", TC_ABBREV_PART },
    { "bql", "Ban Quản lý", TC_ABBREV_PART },
    { "kkt", "Khu kinh tế", TC_ABBREV_PART },
    { "kcn", "Khu công nghiệp", TC_ABBREV_PART },
    { "dmst", "Đổi mới sáng tạo", TC_ABBREV_PART },
    { "cds", "Chuyển đổi số", TC_ABBREV_PART },
    /* Locality words. */
    { "tp", "thành phố", TC_ABBREV_LOCALITY },
    { "tp.", "thành phố", TC_ABBREV_LOCALITY },
    { "tx", "thị xã", TC_ABBREV_LOCALITY },
    { "tx.", "thị xã", TC_ABBREV_LOCALITY },
};

#define N_ABBREVS (sizeof abbrevs / sizeof *abbrevs)

/* The entries by first byte, in table order: by_first[from[b] .. from[b + 1]). */
static unsigned char by_first[N_ABBREVS];
static size_t from[257];
static pthread_once_t by_first_once = PTHREAD_ONCE_INIT;

static void by_first_init(void)
{
    size_t count[256] = { 0 }, at[256];
    for (size_t i = 0; i < N_ABBREVS; i++)
        count[(unsigned char)abbrevs[i].key[0]]++;
    from[0] = 0;
    for (size_t b = 0; b < 256; b++) {
        from[b + 1] = from[b] + count[b];
        at[b] = from[b];
    }
    for (size_t i = 0; i < N_ABBREVS; i++)
        by_first[at[(unsigned char)abbrevs[i].key[0]]++] = (unsigned char)i;
}

const char *tc_abbrev_lookup(const char *folded, size_t len, tc_abbrev_kind_t *kind)
{
    _Static_assert(N_ABBREVS <= 256, "by_first holds entry numbers in a byte");
    if (!folded || !len)
        return NULL; /* no key is empty */
    pthread_once(&by_first_once, by_first_init);
    unsigned char b = (unsigned char)folded[0];
    for (size_t x = from[b]; x < from[b + 1]; x++) {
        const abbrev_t *a = &abbrevs[by_first[x]];
        size_t j = 0;
        while (j < len && a->key[j] && a->key[j] == folded[j])
            j++;
        if (j == len && a->key[len] == '\0') {
            if (kind)
                *kind = a->kind;
            return a->expansion;
        }
    }
    return NULL;
}

const char *tc_abbrev_expand(const char *folded_word)
{
    if (!folded_word)
        return NULL;
    return tc_abbrev_lookup(folded_word, strlen(folded_word), NULL);
}

/* ------------------------------------------------------------------ */
/* Prefix matching on name keys.                                        */

static size_t count_words(const char *key)
{
    size_t n = 0;
    int in_word = 0;
    for (; *key; key++) {
        if (*key == ' ') {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            n++;
        }
    }
    return n;
}

/* Non-zero when `prefix` is `key` or a whole-word prefix of it. */
static int key_has_prefix(const char *key, const char *prefix, size_t plen)
{
    return strncmp(key, prefix, plen) == 0 && (key[plen] == '\0' || key[plen] == ' ');
}

/* ------------------------------------------------------------------ */
/* Known bodies in their canonical case.                                */

typedef struct {
    const char *key;
    const char *name;
    int local;
} org_t;

static const org_t orgs[] = {
    { "uy ban nhan dan", "Ủy ban nhân dân", 1 },
    { "hoi dong nhan dan", "Hội đồng nhân dân", 1 },
    { "van phong uy ban nhan dan", "Văn phòng Ủy ban nhân dân", 1 },
    { "van phong hoi dong nhan dan", "Văn phòng Hội đồng nhân dân", 1 },
    { "uy ban mat tran to quoc viet nam", "Ủy ban Mặt trận Tổ quốc Việt Nam", 1 },
    { "so khoa hoc va cong nghe", "Sở Khoa học và Công nghệ", 1 },
    { "so y te", "Sở Y tế", 1 },
    { "so giao duc va dao tao", "Sở Giáo dục và Đào tạo", 1 },
    { "so tai chinh", "Sở Tài chính", 1 },
    { "so noi vu", "Sở Nội vụ", 1 },
    { "so tu phap", "Sở Tư pháp", 1 },
    { "so xay dung", "Sở Xây dựng", 1 },
    { "so cong thuong", "Sở Công Thương", 1 },
    { "so tai nguyen va moi truong", "Sở Tài nguyên và Môi trường", 1 },
    { "so nong nghiep va phat trien nong thon", "Sở Nông nghiệp và Phát triển nông thôn", 1 },
    { "so nong nghiep va moi truong", "Sở Nông nghiệp và Môi trường", 1 },
    { "so van hoa the thao va du lich", "Sở Văn hóa, Thể thao và Du lịch", 1 },
    { "so van hoa va the thao", "Sở Văn hóa và Thể thao", 1 },
    { "so du lich", "Sở Du lịch", 1 },
    { "so lao dong thuong binh va xa hoi", "Sở Lao động - Thương binh và Xã hội", 1 },
    { "so ke hoach va dau tu", "Sở Kế hoạch và Đầu tư", 1 },
    { "so giao thong van tai", "Sở Giao thông vận tải", 1 },
    { "so thong tin va truyen thong", "Sở Thông tin và Truyền thông", 1 },
    { "so dan toc va ton giao", "Sở Dân tộc và Tôn giáo", 1 },
    { "so ngoai vu", "Sở Ngoại vụ", 1 },
    { "ban quan ly khu kinh te", "Ban Quản lý Khu kinh tế", 1 },
    { "ban quan ly cac khu cong nghiep", "Ban Quản lý các Khu công nghiệp", 1 },
    { "ban dan toc", "Ban Dân tộc", 1 },
    { "bo chi huy quan su", "Bộ Chỉ huy Quân sự", 1 },
    { "cong an", "Công an", 1 },
    { "thanh tra", "Thanh tra", 1 },
    { "cuc thue", "Cục Thuế", 1 },
    { "chi cuc thue", "Chi cục Thuế", 1 },
    { "kho bac nha nuoc", "Kho bạc Nhà nước", 1 },
    { "bao hiem xa hoi", "Bảo hiểm xã hội", 1 },
    { "lien doan lao dong", "Liên đoàn Lao động", 1 },
    { "hoi lien hiep phu nu", "Hội Liên hiệp Phụ nữ", 1 },
    { "hoi nong dan", "Hội Nông dân", 1 },
    { "dang uy", "Đảng ủy", 1 },
    { "phong van hoa xa hoi", "Phòng Văn hóa - Xã hội", 1 },
    { "phong van hoa va thong tin", "Phòng Văn hóa và Thông tin", 1 },
    { "phong giao duc va dao tao", "Phòng Giáo dục và Đào tạo", 1 },
    { "phong kinh te ha tang", "Phòng Kinh tế - Hạ tầng", 1 },
    { "phong kinh te ha tang va do thi", "Phòng Kinh tế, Hạ tầng và Đô thị", 1 },
    { "phong kinh te", "Phòng Kinh tế", 1 },
    { "phong noi vu", "Phòng Nội vụ", 1 },
    { "phong tai chinh ke hoach", "Phòng Tài chính - Kế hoạch", 1 },
    { "phong y te", "Phòng Y tế", 1 },
    { "phong tu phap", "Phòng Tư pháp", 1 },
    { "phong tai nguyen va moi truong", "Phòng Tài nguyên và Môi trường", 1 },
    { "phong nong nghiep va phat trien nong thon", "Phòng Nông nghiệp và Phát triển nông thôn", 1 },
    { "trung tam dich vu tong hop", "Trung tâm Dịch vụ tổng hợp", 1 },
    { "trung tam y te", "Trung tâm Y tế", 1 },
    { "trung tam phuc vu hanh chinh cong", "Trung tâm Phục vụ hành chính công", 1 },
    { "bo khoa hoc va cong nghe", "Bộ Khoa học và Công nghệ", 0 },
    { "bo y te", "Bộ Y tế", 0 },
    { "bo giao duc va dao tao", "Bộ Giáo dục và Đào tạo", 0 },
    { "bo tai chinh", "Bộ Tài chính", 0 },
    { "bo noi vu", "Bộ Nội vụ", 0 },
    { "bo tu phap", "Bộ Tư pháp", 0 },
    { "bo xay dung", "Bộ Xây dựng", 0 },
    { "bo cong thuong", "Bộ Công Thương", 0 },
    { "bo tai nguyen va moi truong", "Bộ Tài nguyên và Môi trường", 0 },
    { "bo nong nghiep va phat trien nong thon", "Bộ Nông nghiệp và Phát triển nông thôn", 0 },
    { "bo nong nghiep va moi truong", "Bộ Nông nghiệp và Môi trường", 0 },
    { "bo van hoa the thao va du lich", "Bộ Văn hóa, Thể thao và Du lịch", 0 },
    { "bo lao dong thuong binh va xa hoi", "Bộ Lao động - Thương binh và Xã hội", 0 },
    { "bo ke hoach va dau tu", "Bộ Kế hoạch và Đầu tư", 0 },
    { "bo giao thong van tai", "Bộ Giao thông vận tải", 0 },
    { "bo thong tin va truyen thong", "Bộ Thông tin và Truyền thông", 0 },
    { "bo dan toc va ton giao", "Bộ Dân tộc và Tôn giáo", 0 },
    { "bo ngoai giao", "Bộ Ngoại giao", 0 },
    { "bo quoc phong", "Bộ Quốc phòng", 0 },
    { "bo cong an", "Bộ Công an", 0 },
    { "van phong chinh phu", "Văn phòng Chính phủ", 0 },
    { "thu tuong chinh phu", "Thủ tướng Chính phủ", 0 },
    { "chinh phu", "Chính phủ", 0 },
    { "quoc hoi", "Quốc hội", 0 },
    { "bo chinh tri", "Bộ Chính trị", 0 },
    { "ban chap hanh trung uong", "Ban Chấp hành Trung ương", 0 },
    { "ban bi thu", "Ban Bí thư", 0 },
};

const char *tc_org_name_match(const char *key, size_t *words, int *local)
{
    const org_t *best = NULL;
    size_t best_len = 0;
    if (!key)
        return NULL;
    for (size_t i = 0; i < sizeof orgs / sizeof *orgs; i++) {
        if (orgs[i].key[0] != key[0])
            continue;
        size_t len = strlen(orgs[i].key);
        if (len > best_len && key_has_prefix(key, orgs[i].key, len)) {
            best = &orgs[i];
            best_len = len;
        }
    }
    if (!best)
        return NULL;
    if (words)
        *words = count_words(best->key);
    if (local)
        *local = best->local;
    return best->name;
}

/* ------------------------------------------------------------------ */
/* Words that open an org line, and locality words.                     */

typedef struct {
    const char *key;
    const char *name;
} word_t;

/* The entry of table whose key is the longest whole-word prefix of key;
 * *words (when non-NULL) gets its number of words. */
static const char *longest_word_match(const word_t *table, size_t n, const char *key, size_t *words)
{
    const word_t *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; key && i < n; i++) {
        if (table[i].key[0] != key[0])
            continue;
        size_t len = strlen(table[i].key);
        if (len > best_len && key_has_prefix(key, table[i].key, len)) {
            best = &table[i];
            best_len = len;
        }
    }
    if (!best)
        return NULL;
    if (words)
        *words = count_words(best->key);
    return best->name;
}

static const word_t org_words[] = {
    { "uy ban nhan dan", "Ủy ban nhân dân" },
    { "ubnd", "Ủy ban nhân dân" },
    { "hoi dong nhan dan", "Hội đồng nhân dân" },
    { "hdnd", "Hội đồng nhân dân" },
    { "uy ban", "Ủy ban" },
    { "so", "Sở" },
    { "bo", "Bộ" },
    { "ban", "Ban" },
    { "cuc", "Cục" },
    { "chi cuc", "Chi cục" },
    { "tong cuc", "Tổng cục" },
    { "van phong", "Văn phòng" },
    { "phong", "Phòng" },
    { "trung tam", "Trung tâm" },
    { "truong", "Trường" },
    { "hoi dong", "Hội đồng" },
    { "cong an", "Công an" },
    { "dang uy", "Đảng ủy" },
    { "dang bo", "Đảng bộ" },
    { "vien", "Viện" },
    { "benh vien", "Bệnh viện" },
    { "thanh tra", "Thanh tra" },
    { "kho bac", "Kho bạc" },
    { "bao hiem xa hoi", "Bảo hiểm xã hội" },
    { "lien doan", "Liên đoàn" },
    { "hoi", "Hội" },
    { "doan", "Đoàn" },
    { "tinh doan", "Tỉnh đoàn" },
    { "tinh uy", "Tỉnh ủy" },
    { "huyen uy", "Huyện ủy" },
    { "thanh uy", "Thành ủy" },
    { "quan uy", "Quận ủy" },
    { "thi uy", "Thị ủy" },
    { "chi nhanh", "Chi nhánh" },
    { "cong ty", "Công ty" },
    { "toa an", "Tòa án" },
    { "vien kiem sat", "Viện kiểm sát" },
};

const char *tc_org_word_match(const char *key, size_t *words)
{
    return longest_word_match(org_words, sizeof org_words / sizeof *org_words, key, words);
}

static const word_t locality_words[] = {
    { "tinh", "tỉnh" },         { "thanh pho", "thành phố" }, { "tp", "thành phố" },
    { "huyen", "huyện" },       { "quan", "quận" },           { "thi xa", "thị xã" },
    { "tx", "thị xã" },         { "xa", "xã" },               { "phuong", "phường" },
    { "thi tran", "thị trấn" }, { "dac khu", "đặc khu" },
};

const char *tc_locality_word_match(const char *key, size_t *words)
{
    return longest_word_match(locality_words, sizeof locality_words / sizeof *locality_words, key, words);
}

/* ------------------------------------------------------------------ */
/* Provinces: the 63 before the 2025 merger (whose 34 successors all     */
/* keep one of these names, Huế aside) and a few spelling variants.      */

typedef struct {
    const char *key;
    const char *name;
    int is_city;
} province_t;

static const province_t provinces[] = {
    { "an giang", "An Giang", 0 },
    { "ba ria vung tau", "Bà Rịa - Vũng Tàu", 0 },
    { "bac giang", "Bắc Giang", 0 },
    { "bac kan", "Bắc Kạn", 0 },
    { "bac can", "Bắc Kạn", 0 },
    { "bac lieu", "Bạc Liêu", 0 },
    { "bac ninh", "Bắc Ninh", 0 },
    { "ben tre", "Bến Tre", 0 },
    { "binh dinh", "Bình Định", 0 },
    { "binh duong", "Bình Dương", 0 },
    { "binh phuoc", "Bình Phước", 0 },
    { "binh thuan", "Bình Thuận", 0 },
    { "ca mau", "Cà Mau", 0 },
    { "can tho", "Cần Thơ", 1 },
    { "cao bang", "Cao Bằng", 0 },
    { "da nang", "Đà Nẵng", 1 },
    { "dak lak", "Đắk Lắk", 0 },
    { "dac lac", "Đắk Lắk", 0 },
    { "dak nong", "Đắk Nông", 0 },
    { "dien bien", "Điện Biên", 0 },
    { "dong nai", "Đồng Nai", 0 },
    { "dong thap", "Đồng Tháp", 0 },
    { "gia lai", "Gia Lai", 0 },
    { "ha giang", "Hà Giang", 0 },
    { "ha nam", "Hà Nam", 0 },
    { "ha noi", "Hà Nội", 1 },
    { "ha tinh", "Hà Tĩnh", 0 },
    { "hai duong", "Hải Dương", 0 },
    { "hai phong", "Hải Phòng", 1 },
    { "hau giang", "Hậu Giang", 0 },
    { "hoa binh", "Hòa Bình", 0 },
    { "hung yen", "Hưng Yên", 0 },
    { "khanh hoa", "Khánh Hòa", 0 },
    { "kien giang", "Kiên Giang", 0 },
    { "kon tum", "Kon Tum", 0 },
    { "lai chau", "Lai Châu", 0 },
    { "lam dong", "Lâm Đồng", 0 },
    { "lang son", "Lạng Sơn", 0 },
    { "lao cai", "Lào Cai", 0 },
    { "long an", "Long An", 0 },
    { "nam dinh", "Nam Định", 0 },
    { "nghe an", "Nghệ An", 0 },
    { "ninh binh", "Ninh Bình", 0 },
    { "ninh thuan", "Ninh Thuận", 0 },
    { "phu tho", "Phú Thọ", 0 },
    { "phu yen", "Phú Yên", 0 },
    { "quang binh", "Quảng Bình", 0 },
    { "quang nam", "Quảng Nam", 0 },
    { "quang ngai", "Quảng Ngãi", 0 },
    { "quang ninh", "Quảng Ninh", 0 },
    { "quang tri", "Quảng Trị", 0 },
    { "soc trang", "Sóc Trăng", 0 },
    { "son la", "Sơn La", 0 },
    { "tay ninh", "Tây Ninh", 0 },
    { "thai binh", "Thái Bình", 0 },
    { "thai nguyen", "Thái Nguyên", 0 },
    { "thanh hoa", "Thanh Hóa", 0 },
    { "thua thien hue", "Thừa Thiên Huế", 0 },
    { "tien giang", "Tiền Giang", 0 },
    { "ho chi minh", "Hồ Chí Minh", 1 },
    { "hcm", "Hồ Chí Minh", 1 },
    { "tra vinh", "Trà Vinh", 0 },
    { "tuyen quang", "Tuyên Quang", 0 },
    { "vinh long", "Vĩnh Long", 0 },
    { "vinh phuc", "Vĩnh Phúc", 0 },
    { "yen bai", "Yên Bái", 0 },
    /* Since July 2025. */
    { "hue", "Huế", 1 },
};

const char *tc_province_match(const char *key, size_t *words)
{
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; key && i < sizeof provinces / sizeof *provinces; i++) {
        size_t len = strlen(provinces[i].key);
        if (len > best_len && provinces[i].key[0] == key[0] && key_has_prefix(key, provinces[i].key, len)) {
            best = provinces[i].name;
            best_len = len;
            *words = count_words(provinces[i].key);
        }
    }
    return best;
}

const char *tc_province_lookup(const char *key, int *is_city)
{
    if (!key)
        return NULL;
    for (size_t i = 0; i < sizeof provinces / sizeof *provinces; i++) {
        if (strcmp(provinces[i].key, key) == 0) {
            if (is_city)
                *is_city = provinces[i].is_city;
            return provinces[i].name;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Signature titles.                                                    */

static const word_t titles[] = {
    { "giam doc", "Giám đốc" },
    { "pho giam doc", "Phó Giám đốc" },
    { "tong giam doc", "Tổng Giám đốc" },
    { "pho tong giam doc", "Phó Tổng Giám đốc" },
    { "chu tich", "Chủ tịch" },
    { "pho chu tich", "Phó Chủ tịch" },
    { "truong ban", "Trưởng ban" },
    { "pho truong ban", "Phó Trưởng ban" },
    { "truong phong", "Trưởng phòng" },
    { "pho truong phong", "Phó Trưởng phòng" },
    { "chanh van phong", "Chánh Văn phòng" },
    { "pho chanh van phong", "Phó Chánh Văn phòng" },
    { "chanh thanh tra", "Chánh Thanh tra" },
    { "pho chanh thanh tra", "Phó Chánh Thanh tra" },
    { "bo truong", "Bộ trưởng" },
    { "thu truong", "Thứ trưởng" },
    { "thu tuong", "Thủ tướng" },
    { "pho thu tuong", "Phó Thủ tướng" },
    { "tong cuc truong", "Tổng cục trưởng" },
    { "pho tong cuc truong", "Phó Tổng cục trưởng" },
    { "cuc truong", "Cục trưởng" },
    { "pho cuc truong", "Phó Cục trưởng" },
    { "chi cuc truong", "Chi cục trưởng" },
    { "pho chi cuc truong", "Phó Chi cục trưởng" },
    { "vien truong", "Viện trưởng" },
    { "pho vien truong", "Phó Viện trưởng" },
    { "hieu truong", "Hiệu trưởng" },
    { "pho hieu truong", "Phó Hiệu trưởng" },
    { "bi thu", "Bí thư" },
    { "pho bi thu", "Phó Bí thư" },
    { "chu nhiem", "Chủ nhiệm" },
    { "pho chu nhiem", "Phó Chủ nhiệm" },
    { "truong doan", "Trưởng đoàn" },
    { "pho truong doan", "Phó Trưởng đoàn" },
    { "chi huy truong", "Chỉ huy trưởng" },
    { "pho chi huy truong", "Phó Chỉ huy trưởng" },
    { "truong cong an", "Trưởng Công an" },
    { "pho truong cong an", "Phó Trưởng Công an" },
    { "tong bien tap", "Tổng Biên tập" },
    { "thu truong don vi", "Thủ trưởng đơn vị" },
};

const char *tc_title_match(const char *key, size_t *words)
{
    return longest_word_match(titles, sizeof titles / sizeof *titles, key, words);
}

/* ------------------------------------------------------------------ */
/* Document types.                                                      */

#define T TC_DOCTYPE_TITLE
#define R TC_DOCTYPE_REF

static const tc_doc_type_t doc_types[] = {
    { "cong van", "Công văn", "cv", R },
    { "ke hoach", "Kế hoạch", "kh", T | R },
    { "thong bao", "Thông báo", "tb", T | R },
    { "bao cao", "Báo cáo", "bc", T | R },
    { "quyet dinh", "Quyết định", "qd", T | R },
    { "to trinh", "Tờ trình", "ttr", T | R },
    { "chi thi", "Chỉ thị", "ct", T | R },
    { "huong dan", "Hướng dẫn", "hd", T | R },
    { "giay moi", "Giấy mời", "gm", T },
    { "cong dien", "Công điện", "cd", T | R },
    { "chuong trinh", "Chương trình", "ctr", T | R },
    { "nghi quyet", "Nghị quyết", "nq", T | R },
    { "nghi quyet lien tich", "Nghị quyết liên tịch", "nqlt", T | R },
    { "thong tu", "Thông tư", "tt", T | R },
    { "thong tu lien tich", "Thông tư liên tịch", "ttlt", T | R },
    { "nghi dinh", "Nghị định", "nd", T | R },
    /* A law and an ordinance stand under their title too: "LUẬT" / "BẢO VỆ
     * MÔI TRƯỜNG"; their symbols ("72/2020/QH14") name no type. */
    { "luat", "Luật", NULL, T | R },
    { "phap lenh", "Pháp lệnh", NULL, T | R },
    { "van ban", "Văn bản", NULL, R },
    { "ket luan", "Kết luận", "kl", T | R },
    { "quy dinh", "Quy định", "qyd", T | R },
    { "quy che", "Quy chế", "qc", T | R },
    { "de an", "Đề án", "da", T | R },
    { "phuong an", "Phương án", "pa", T | R },
    { "bien ban", "Biên bản", "bb", T },
    { "thong cao", "Thông cáo", "tc", T },
    /* The rest of Nghị định 30/2020's list (Phụ lục III), under their
     * titles: their codes are others' too ("HĐ" folds as Hướng dẫn's "HD",
     * Dự án's "DA" as Đề án's "ĐA", "PC" opens police units' symbols). */
    { "du an", "Dự án", NULL, T | R },
    { "hop dong", "Hợp đồng", NULL, T | R },
    { "ban ghi nho", "Bản ghi nhớ", NULL, T },
    { "ban thoa thuan", "Bản thỏa thuận", NULL, T },
    { "giay uy quyen", "Giấy ủy quyền", NULL, T },
    { "giay gioi thieu", "Giấy giới thiệu", NULL, T },
    { "giay nghi phep", "Giấy nghỉ phép", NULL, T },
    { "phieu gui", "Phiếu gửi", NULL, T },
    { "phieu chuyen", "Phiếu chuyển", NULL, T },
    { "phieu bao", "Phiếu báo", NULL, T },
    /* What goes with a draft to be adopted: the draft set beside the law
     * in force, "BẢNG SO SÁNH THUYẾT MINH". */
    { "bang so sanh", "Bảng so sánh", NULL, T },
};

#undef T
#undef R

const tc_doc_type_t *tc_doc_types(size_t *count)
{
    if (count)
        *count = sizeof doc_types / sizeof *doc_types;
    return doc_types;
}

const tc_doc_type_t *tc_doc_type_by_key(const char *key)
{
    if (!key)
        return NULL;
    for (size_t i = 0; i < sizeof doc_types / sizeof *doc_types; i++)
        if (strcmp(doc_types[i].key, key) == 0)
            return &doc_types[i];
    return NULL;
}

const tc_doc_type_t *tc_doc_type_opening(const char *key)
{
    const tc_doc_type_t *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; key && i < sizeof doc_types / sizeof *doc_types; i++) {
        if (doc_types[i].key[0] != key[0] || !(doc_types[i].flags & TC_DOCTYPE_TITLE))
            continue;
        size_t len = strlen(doc_types[i].key);
        if (len > best_len && key[len] == ' ' && key_has_prefix(key, doc_types[i].key, len)) {
            best = &doc_types[i];
            best_len = len;
        }
    }
    return best;
}

const tc_doc_type_t *tc_doc_type_by_code(const char *folded_code)
{
    if (!folded_code)
        return NULL;
    for (size_t i = 0; i < sizeof doc_types / sizeof *doc_types; i++)
        if (doc_types[i].code && strcmp(doc_types[i].code, folded_code) == 0)
            return &doc_types[i];
    return NULL;
}
