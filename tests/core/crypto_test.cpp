// Tokens, hashes, constant-time comparison and Argon2id passwords.
#include "core/security/crypto.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace ensemble::core;

namespace {

struct sodium_ready {
    sodium_ready() { init_crypto(); }
};

bool url_safe(const std::string& s) {
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
    return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crypto)

BOOST_FIXTURE_TEST_CASE(tokens_are_url_safe_and_carry_their_bits, sodium_ready) {
    // Base64 carries 6 bits a character: 16 bytes (128 bits) need 22 characters.
    BOOST_TEST(random_token(16).size() == 22u);
    BOOST_TEST(random_token(24).size() == 32u);
    BOOST_TEST(random_token(32).size() == 43u);
    std::set<std::string> seen;
    std::set<char> alphabet;
    for (int i = 0; i < 2000; ++i) {
        std::string t = random_token(16);
        BOOST_TEST_REQUIRE(url_safe(t), t);
        BOOST_TEST_REQUIRE(t.size() * 6 >= 128u);
        seen.insert(t);
        alphabet.insert(t.begin(), t.end());
    }
    BOOST_TEST(seen.size() == 2000u);
    BOOST_TEST(alphabet.size() == 64u);  // every character of the URL-safe alphabet shows up, nothing else
}

BOOST_FIXTURE_TEST_CASE(known_digests, sodium_ready) {
    BOOST_TEST(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    BOOST_TEST(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    // RFC 4231 test case 2.
    BOOST_TEST(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    BOOST_TEST(to_hex(std::string("\x00\xff\x10", 3)) == "00ff10");
    BOOST_TEST(base64("hello") == "aGVsbG8=");
    BOOST_TEST(base64("") == "");
}

BOOST_AUTO_TEST_CASE(constant_time_equality) {
    BOOST_TEST(constant_time_equal("abc", "abc"));
    BOOST_TEST(!constant_time_equal("abc", "abd"));
    BOOST_TEST(!constant_time_equal("abc", "abcd"));
    BOOST_TEST(!constant_time_equal("", "a"));
    BOOST_TEST(constant_time_equal("", ""));
    BOOST_TEST(!constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

BOOST_FIXTURE_TEST_CASE(argon2id_passwords, sodium_ready) {
    std::string hash = hash_password("correct horse battery staple");
    BOOST_TEST(hash.rfind("$argon2id$", 0) == 0u, hash);
    BOOST_TEST(hash.find("m=19456,t=2,p=1") != std::string::npos, hash);
    BOOST_TEST(verify_password(hash, "correct horse battery staple"));
    BOOST_TEST(!verify_password(hash, "correct horse battery stapl"));
    BOOST_TEST(!verify_password(hash, ""));
    BOOST_TEST(hash_password("correct horse battery staple") != hash);  // salted
    BOOST_TEST(!verify_password("", "anything"));
    BOOST_TEST(!verify_password("not a hash", "not a hash"));
    BOOST_TEST(!verify_password(std::string(200, '$'), "x"));
    BOOST_TEST(verify_password(hash_password(std::string("p\0ss", 4)), std::string("p\0ss", 4)));
    BOOST_CHECK_NO_THROW(waste_password_time("whatever"));
}

BOOST_AUTO_TEST_SUITE_END()
