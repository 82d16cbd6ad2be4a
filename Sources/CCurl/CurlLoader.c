// libcurl, opened on first use. The executable does not link it: libcurl with OpenSSL pulls about
// 30 shared libraries, which every run (a photo, a file without webhooks) would load at start.
// ccurl_load opens it once; the ccurl_* shims call through the pointers it resolved.
//
// Lifetime: the library is never closed, so every pointer resolved here stays valid for the life of
// the process. The pointers are written once, inside pthread_once; every caller has called
// ccurl_load (or runs on a thread started after such a call), which orders the writes before reads.

#include "CCurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/// The SONAME of libcurl 7.x and 8.x (the ABI has been 4 since 2006).
static const char *const library_name = "libcurl.so.4";

static CURLcode (*global_init_pointer)(long);
static CURL *(*easy_init_pointer)(void);
static void (*easy_cleanup_pointer)(CURL *);
static CURLcode (*easy_perform_pointer)(CURL *);
static const char *(*easy_strerror_pointer)(CURLcode);
static CURLcode (*easy_setopt_pointer)(CURL *, CURLoption, ...);
static CURLcode (*easy_getinfo_pointer)(CURL *, CURLINFO, ...);
static struct curl_slist *(*slist_append_pointer)(struct curl_slist *, const char *);
static void (*slist_free_all_pointer)(struct curl_slist *);

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
/// The reason the load failed; meaningful only while `loaded` is 0. Written only inside pthread_once.
static char load_error[CCURL_ERROR_CAPACITY] = "libcurl was not loaded";
/// 1 once every pointer is set and curl_global_init succeeded. Written only inside pthread_once.
static int loaded;

/// Aborts when a shim runs before a successful ccurl_load: a broken invariant of the Webhooks
/// target (every handle is made after ccurl_load succeeded), not bad input.
__attribute__((noreturn, cold)) static void not_loaded(const char *name) {
    fprintf(stderr, "FaceStream: %s called before libcurl was loaded (ccurl_load)\n", name);
    abort();
}

#define RESOLVE(handle, pointer, symbol)                                                              \
    do {                                                                                              \
        *(void **)(&pointer) = dlsym(handle, symbol);                                                 \
        if (pointer == NULL) {                                                                        \
            snprintf(load_error, sizeof load_error, "%s has no %s (libcurl 7.85 or newer is needed)", \
                     library_name, symbol);                                                           \
            return;                                                                                   \
        }                                                                                             \
    } while (0)

static void load_once_body(void) {
    void *handle = dlopen(library_name, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *reason = dlerror();
        snprintf(load_error, sizeof load_error, "cannot open %s: %s", library_name,
                 reason != NULL ? reason : "unknown reason");
        return;
    }
    RESOLVE(handle, global_init_pointer, "curl_global_init");
    RESOLVE(handle, easy_init_pointer, "curl_easy_init");
    RESOLVE(handle, easy_cleanup_pointer, "curl_easy_cleanup");
    RESOLVE(handle, easy_perform_pointer, "curl_easy_perform");
    RESOLVE(handle, easy_strerror_pointer, "curl_easy_strerror");
    RESOLVE(handle, easy_setopt_pointer, "curl_easy_setopt");
    RESOLVE(handle, easy_getinfo_pointer, "curl_easy_getinfo");
    RESOLVE(handle, slist_append_pointer, "curl_slist_append");
    RESOLVE(handle, slist_free_all_pointer, "curl_slist_free_all");
    // CURLOPT_PROTOCOLS_STR (7.85) is how every handle is kept to http and https: an older
    // library would ignore it, so it is refused here instead.
    curl_version_info_data *(*version_info)(CURLversion) = NULL;
    RESOLVE(handle, version_info, "curl_version_info");
    curl_version_info_data *info = version_info(CURLVERSION_NOW);
    if (info == NULL || info->version_num < 0x075500) {
        snprintf(load_error, sizeof load_error, "%s is version %s; 7.85 or newer is needed", library_name,
                 info != NULL && info->version != NULL ? info->version : "unknown");
        return;
    }
    // Once per process, before any handle exists (not thread-safe in libcurl before 7.84).
    CURLcode code = global_init_pointer(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed (%d)", (int)code);
        return;
    }
    loaded = 1;
}

const char *ccurl_load(void) {
    pthread_once(&load_once, load_once_body);
    return loaded ? NULL : load_error;
}

CURL *ccurl_easy_init(void) {
    if (easy_init_pointer == NULL) not_loaded("curl_easy_init");
    return easy_init_pointer();
}

void ccurl_easy_cleanup(CURL *handle) {
    if (easy_cleanup_pointer == NULL) not_loaded("curl_easy_cleanup");
    easy_cleanup_pointer(handle);
}

CURLcode ccurl_easy_perform(CURL *handle) {
    if (easy_perform_pointer == NULL) not_loaded("curl_easy_perform");
    return easy_perform_pointer(handle);
}

const char *ccurl_easy_strerror(CURLcode code) {
    if (easy_strerror_pointer == NULL) not_loaded("curl_easy_strerror");
    return easy_strerror_pointer(code);
}

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    if (easy_setopt_pointer == NULL) not_loaded("curl_easy_setopt");
    return easy_setopt_pointer(handle, option, value);
}

CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, const void *value) {
    if (easy_setopt_pointer == NULL) not_loaded("curl_easy_setopt");
    return easy_setopt_pointer(handle, option, value);
}

CURLcode ccurl_setopt_write_function(CURL *handle, size_t (*function)(char *, size_t, size_t, void *)) {
    if (easy_setopt_pointer == NULL) not_loaded("curl_easy_setopt");
    return easy_setopt_pointer(handle, CURLOPT_WRITEFUNCTION, function);
}

CURLcode ccurl_setopt_progress_function(
    CURL *handle, int (*function)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t)) {
    if (easy_setopt_pointer == NULL) not_loaded("curl_easy_setopt");
    return easy_setopt_pointer(handle, CURLOPT_XFERINFOFUNCTION, function);
}

CURLcode ccurl_response_code(CURL *handle, long *code) {
    if (easy_getinfo_pointer == NULL) not_loaded("curl_easy_getinfo");
    return easy_getinfo_pointer(handle, CURLINFO_RESPONSE_CODE, code);
}

struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text) {
    if (slist_append_pointer == NULL) not_loaded("curl_slist_append");
    return slist_append_pointer(list, text);
}

void ccurl_slist_free_all(struct curl_slist *list) {
    if (slist_free_all_pointer == NULL) not_loaded("curl_slist_free_all");
    slist_free_all_pointer(list);
}
