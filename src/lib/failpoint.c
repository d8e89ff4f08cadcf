/* failpoint.c — test-only crash points; see failpoint.h. */
#include "lib/failpoint.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char armed[64];

void failpoint_arm(const char *name)
{
    snprintf(armed, sizeof(armed), "%s", name != NULL ? name : "");
}

void failpoint(const char *name)
{
    if (armed[0] != '\0' && strcmp(armed, name) == 0) {
        static const char message[] = "failpoint reached: exiting at once\n";
        if (write(STDERR_FILENO, message, sizeof(message) - 1) < 0) {
            /* nothing to do: we are leaving */
        }
        _exit(70);
    }
}
