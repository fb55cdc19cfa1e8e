"""The harness: page objects, flows per manual step, the manual as data, and the suites that use them."""
