// The server_tests executable: routing, static files, configuration and rate limits, without a socket.
#define BOOST_TEST_MODULE server_tests
#include <boost/test/unit_test.hpp>
