// Random tokens, hashes, constant-time comparison and password hashing (libsodium).
#pragma once

#include <string>
#include <string_view>

namespace ensemble::core {

// Initialises libsodium; safe to call more than once. Throws if the library cannot start.
void init_crypto();

// `bytes` random bytes as URL-safe base64 without padding (32 bytes -> 43 characters).
std::string random_token(std::size_t bytes);
// Registration tokens (ticket codes, manage tokens) begin with a key of this many characters
// that grows with time, followed by `random_bytes` random bytes as in random_token(). The key is
// not secret: it is what the database indexes, so that the index takes new tokens at its end
// instead of at a random place (a random index key costs a page write per registration). A token
// is found by its key and then proven by the hash of the whole token.
inline constexpr std::size_t token_key_length = 10;
std::string time_ordered_token(std::size_t random_bytes);
// The index key of a token (its first token_key_length characters, or all of a shorter one).
std::string_view token_key(std::string_view token) noexcept;
// SHA-256 of the text, as lower-case hex: how tokens are stored and looked up.
std::string sha256_hex(std::string_view text);
// HMAC-SHA256(key, message) as lower-case hex.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);
// Equality in time independent of where the strings differ (lengths may leak).
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

// Argon2id in libsodium's encoded form with OWASP's parameters (19 MiB, 2 passes, 1 lane).
std::string hash_password(std::string_view password);
// True when the password matches the encoded hash. A malformed hash never matches.
bool verify_password(std::string_view encoded, std::string_view password);
// Spends the time a verification takes, for unknown accounts (so timing does not tell them apart).
void waste_password_time(std::string_view password);

// Lower-case hex of arbitrary bytes.
std::string to_hex(std::string_view bytes);
// Standard base64 with padding (for MIME and JSON APIs).
std::string base64(std::string_view bytes);

}  // namespace ensemble::core
