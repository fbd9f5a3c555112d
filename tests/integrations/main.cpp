// The integrations_tests executable: everything that calls out, tested without the network.
#define BOOST_TEST_MODULE integrations_tests
#include <boost/test/unit_test.hpp>

#include "core/security/crypto.hpp"

// libsodium is initialised once for every suite (tokens, hashes, Message-IDs).
struct sodium_ready {
    sodium_ready() { ensemble::core::init_crypto(); }
};
BOOST_TEST_GLOBAL_FIXTURE(sodium_ready);
