// The core_tests executable: the domain rules of events, registrations, time, text and crypto.
#define BOOST_TEST_MODULE core_tests
#include <boost/test/unit_test.hpp>
