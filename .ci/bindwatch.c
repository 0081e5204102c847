/*
 * Preloaded (LD_PRELOAD) into every process the tests start: logs each bind(2) to the wildcard address (0.0.0.0 or
 * ::), and each listen(2) on a socket that ends up there (one never bound is bound to the wildcard address by the
 * kernel), with the process, the socket type and the port, to $BINDWATCH_LOG, then does as asked. Tests listen on
 * 127.0.0.1 only; .ci/run fails when the log is not empty. A poll of the listening sockets misses a bind that lasts
 * a moment (a library's search for a free port); this does not.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int (*real_bind)(int, const struct sockaddr *, socklen_t);
static int (*real_listen)(int, int);

static int is_wildcard(const struct sockaddr *addr, int *port) {
    if (addr == NULL) {
        return 0;
    }
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *) addr;
        *port = ntohs(in->sin_port);
        return in->sin_addr.s_addr == htonl(INADDR_ANY);
    }
    if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) addr;
        *port = ntohs(in6->sin6_port);
        return memcmp(&in6->sin6_addr, &in6addr_any, sizeof(in6addr_any)) == 0;
    }
    return 0;
}

static void record(int fd, const struct sockaddr *addr, int port) {
    const char *path = getenv("BINDWATCH_LOG");
    if (path == NULL) {
        return;
    }
    int type = 0;
    socklen_t size = sizeof(type);
    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &size);
    char name[64] = "?";
    int comm = open("/proc/self/comm", O_RDONLY);
    if (comm >= 0) {
        ssize_t n = read(comm, name, sizeof(name) - 1);
        name[n > 0 ? n - 1 : 0] = 0;
        close(comm);
    }
    char line[256];
    int n = snprintf(line, sizeof(line), "%s (pid %d) bound %s %s port %d\n", name, (int) getpid(),
                     type == SOCK_STREAM ? "tcp" : type == SOCK_DGRAM ? "udp" : "a socket",
                     addr->sa_family == AF_INET ? "0.0.0.0" : "::", port);
    int out = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (out >= 0) {
        if (write(out, line, n) < 0) {
            /* nothing more to do: the bind itself goes on */
        }
        close(out);
    }
}

int bind(int fd, const struct sockaddr *addr, socklen_t length) {
    if (real_bind == NULL) {
        real_bind = (int (*)(int, const struct sockaddr *, socklen_t)) dlsym(RTLD_NEXT, "bind");
    }
    int port = -1;
    if (is_wildcard(addr, &port)) {
        record(fd, addr, port);
    }
    return real_bind(fd, addr, length);
}

int listen(int fd, int backlog) {
    if (real_listen == NULL) {
        real_listen = (int (*)(int, int)) dlsym(RTLD_NEXT, "listen");
    }
    int result = real_listen(fd, backlog);
    struct sockaddr_storage local;
    socklen_t size = sizeof(local);
    int port = -1;
    if (result == 0 && getsockname(fd, (struct sockaddr *) &local, &size) == 0
            && is_wildcard((const struct sockaddr *) &local, &port)) {
        record(fd, (const struct sockaddr *) &local, port);
    }
    return result;
}
