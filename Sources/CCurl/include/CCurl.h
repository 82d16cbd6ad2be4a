// libcurl for Swift, opened with dlopen on first use (see CurlLoader.c). Two importer limits are
// worked around here:
// - curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one fixed-argument
//   shim per argument type used.
// - The library is not linked, so every function goes through a pointer resolved by ccurl_load;
//   the shims below are the only way in, named ccurl_* so they never clash with libcurl's own.
#ifndef FACESTREAM_CCURL_H
#define FACESTREAM_CCURL_H

#include <curl/curl.h>

/// Longest text ccurl_load leaves in its error (the library name and dlerror's reason).
#define CCURL_ERROR_CAPACITY 512

/// Opens libcurl.so.4, resolves the functions below and runs curl_global_init once per process.
/// Thread-safe (pthread_once); returns NULL on success, else a message saying what is missing (the
/// same message on every later call).
const char *ccurl_load(void);

/// curl_easy_init; NULL when libcurl cannot allocate a handle. Requires a successful ccurl_load.
CURL *ccurl_easy_init(void);
/// curl_easy_cleanup.
void ccurl_easy_cleanup(CURL *handle);
/// curl_easy_perform: blocks the calling thread for the whole transfer.
CURLcode ccurl_easy_perform(CURL *handle);
/// curl_easy_strerror: a static English text for `code`.
const char *ccurl_easy_strerror(CURLcode code);

/// curl_easy_setopt for options taking a long.
CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
/// curl_easy_setopt for options taking a pointer: strings (copied by libcurl unless the option
/// says otherwise), header lists, callback user data, buffers.
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, const void *value);
/// CURLOPT_WRITEFUNCTION.
CURLcode ccurl_setopt_write_function(CURL *handle, size_t (*function)(char *, size_t, size_t, void *));
/// CURLOPT_XFERINFOFUNCTION.
CURLcode ccurl_setopt_progress_function(
    CURL *handle, int (*function)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t));

/// curl_easy_getinfo(CURLINFO_RESPONSE_CODE): the last HTTP status received, 0 when none.
CURLcode ccurl_response_code(CURL *handle, long *code);

/// curl_slist_append (copies `text`); NULL when out of memory.
struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text);
/// curl_slist_free_all.
void ccurl_slist_free_all(struct curl_slist *list);

#endif
