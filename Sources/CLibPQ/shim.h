// libpq, PostgreSQL's own C client (Debian: libpq-dev, pkg-config "libpq").
#include <libpq-fe.h>
