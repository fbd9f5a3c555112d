// libsodium-backed primitives.
#include "core/security/crypto.hpp"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace ensemble::core {
namespace {

constexpr unsigned long long ops_limit = 2;
constexpr std::size_t mem_limit = 19u * 1024u * 1024u;

const std::string& dummy_hash() {
    static const std::string h = [] {
        char out[crypto_pwhash_STRBYTES];
        const char pw[] = "ensemble-dummy-password";
        if (crypto_pwhash_str_alg(out, pw, sizeof pw - 1, ops_limit, mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0)
            throw std::runtime_error("crypto: cannot hash (out of memory?)");
        return std::string(out);
    }();
    return h;
}

}  // namespace

void init_crypto() {
    if (sodium_init() < 0) throw std::runtime_error("crypto: libsodium failed to initialise");
}

std::string random_token(std::size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    randombytes_buf(raw.data(), raw.size());
    std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::string time_ordered_token(std::size_t random_bytes) {
    // 42 bits of milliseconds since 2020 (until the year 2159) and an 8-bit counter, in a base 32
    // alphabet whose characters ascend in ASCII, so that keys sort as they were made.
    static constexpr char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
    static std::atomic<unsigned> counter{0};
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::uint64_t since = static_cast<std::uint64_t>(std::max<long long>(0, ms - 1577836800000LL)) & ((std::uint64_t{1} << 42) - 1);
    std::uint64_t v = (since << 8) | (counter.fetch_add(1, std::memory_order_relaxed) & 0xff);
    std::string out(token_key_length, '0');
    for (std::size_t i = token_key_length; i-- > 0; v >>= 5) out[i] = alphabet[v & 31];
    return out + random_token(random_bytes);
}

std::string_view token_key(std::string_view token) noexcept { return token.substr(0, std::min(token.size(), token_key_length)); }

std::string to_hex(std::string_view bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

std::string base64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::string sha256_hex(std::string_view text) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    return to_hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, mac);
    return to_hex(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hash_password(std::string_view password) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops_limit, mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("crypto: cannot hash the password (out of memory?)");
    return std::string(out);
}

bool verify_password(std::string_view encoded, std::string_view password) {
    if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES) return false;
    std::string copy(encoded);
    return crypto_pwhash_str_verify(copy.c_str(), password.data(), password.size()) == 0;
}

void waste_password_time(std::string_view password) { (void)verify_password(dummy_hash(), password); }

}  // namespace ensemble::core
