// The integrations_tests executable: everything that calls out, tested without the network.
#define BOOST_TEST_MODULE integrations_tests
#include <boost/test/unit_test.hpp>
