/* failpoint.h — named places where a test may make the process die at once,
 * to prove that nothing is lost when it crashes there (the webhook between
 * the provider's confirmation and our commit). Armed only by `rounds serve
 * --test-hooks 1` with ROUNDS_TEST_FAILPOINT=name; never in production. */
#ifndef ROUNDS_LIB_FAILPOINT_H
#define ROUNDS_LIB_FAILPOINT_H

/* Arms the failpoint called name (NULL or "" disarms). */
void failpoint_arm(const char *name);
/* Ends the process with exit status 70 (as a crash would, without cleanup)
 * when the failpoint called name is armed. */
void failpoint(const char *name);

#endif
