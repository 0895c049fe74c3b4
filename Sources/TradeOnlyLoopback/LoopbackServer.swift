// A small HTTP/1.1 server on loopback (POSIX sockets), for tests and the simulator.
