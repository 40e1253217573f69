/*
 * p2m_fuzzer: the native libFuzzer driver of p2mfuzz.
 *
 * libFuzzer runs here; the target runs in a .NET process ("the .NET side", `p2mfuzz libfuzzer`) that
 * speaks SharpFuzz's libFuzzer protocol (Fuzzer.LibFuzzer.Run):
 *   - a System V shared memory segment: the IL edge map (SharpFuzz's MapSize, 64 KiB) then the input
 *     (1 MiB); its id goes in __LIBFUZZER_SHM_ID;
 *   - a control pipe (__LIBFUZZER_CONTROL_PIPE_ID, a file descriptor number): the driver writes the
 *     input's length, a 32-bit integer, for each input;
 *   - a status pipe (__LIBFUZZER_STATUS_PIPE_ID): the .NET side writes a 32-bit 0 once it is ready,
 *     then one status per input, 0 for a pass and anything else for a crash.
 * On top of that protocol this driver adds the engine's semantic coverage (1 KiB of probe counters,
 * written by the .NET side into a memfd named in P2M_SEMANTIC_COUNTERS), and hands libFuzzer both maps
 * as extra counters. A finding makes it abort(), so libFuzzer writes crash-<sha1>; the .NET side has
 * already written the minimised crash-<sha1>.p2m beside it (it is told the artifact prefix).
 *
 * The .NET side is watched: if it dies, runs past -timeout or grows past -rss_limit_mb (libFuzzer
 * measures only this process), the driver reports it, restarts it so the new side writes the input's
 * repro, and then ends the run as libFuzzer would for a crash, timeout or out-of-memory.
 *
 * Flags of its own (libFuzzer ignores flags starting with "--"):
 *   --target_path=PATH   the .NET side's executable (default: <this binary>.dotnet/p2mfuzz, the
 *                        published layout ClusterFuzzLite's build.sh installs)
 *   --target_arg=ARG     an argument for it, repeatable (default: libfuzzer)
 *   --impl=SPEC          an implementation under test, passed on as --impl SPEC (repeatable: a three-way run)
 *   --coverage=MODE      semantic, il or both, passed on as --coverage MODE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EDGE_MAP_SIZE (1 << 16)   /* SharpFuzz's MapSize: the IL edge map */
#define INPUT_CAPACITY (1 << 20)  /* SharpFuzz's libFuzzer data area, after the map */
#define SEMANTIC_MAP_SIZE 1024    /* P2M.Coverage.CoverageMap.Size */
#define MAX_TARGET_ARGS 64
#define STARTUP_TIMEOUT_MS (300 * 1000) /* a cold .NET start on a loaded CI machine */
#define WATCH_TICK_MS 100
#define OOM_EXIT_CODE 71          /* libFuzzer's out-of-memory exit code */
#define TIMEOUT_EXIT_CODE 70      /* libFuzzer's timeout exit code */

/* What libFuzzer reads as features: the IL edges, then the probes. */
__attribute__((used, section("__libfuzzer_extra_counters")))
static uint8_t extra_counters[EDGE_MAP_SIZE + SEMANTIC_MAP_SIZE];

static struct {
	const char *target_path;
	const char *target_args[MAX_TARGET_ARGS];
	int target_argc;
	const char *artifact_prefix;
	const char *exact_artifact_path;
	long timeout_ms;   /* libFuzzer's -timeout, 0 for none */
	long rss_limit_mb; /* libFuzzer's -rss_limit_mb, 0 for none */
} config = { .timeout_ms = 1200 * 1000L, .rss_limit_mb = 2048 };

static struct {
	pid_t pid;
	int control; /* we write lengths */
	int status;  /* we read statuses */
} side = { -1, -1, -1 };

static int shm_id = -1;
static uint8_t *shm;       /* edges, then the input */
static uint8_t *semantic;  /* the memfd the .NET side writes its probes to */
static int semantic_fd = -1;
static char default_target[PATH_MAX];

enum outcome { PASSED, FAILED, DIED, HUNG, OUT_OF_MEMORY };

static void fail(const char *what)
{
	fprintf(stderr, "p2m_fuzzer: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long monotonic_ms(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec * 1000L + now.tv_nsec / 1000000L;
}

static const char *flag_value(const char *arg, const char *name)
{
	size_t length = strlen(name);
	return strncmp(arg, name, length) == 0 && arg[length] == '=' ? arg + length + 1 : NULL;
}

static void add_target_arg(const char *arg)
{
	if (config.target_argc >= MAX_TARGET_ARGS) {
		fprintf(stderr, "p2m_fuzzer: more than %d target arguments\n", MAX_TARGET_ARGS);
		exit(1);
	}
	config.target_args[config.target_argc++] = arg;
}

/* libFuzzer's own flags that the watch needs (the last one given wins, as in libFuzzer), and ours. */
static void parse_flags(int argc, char **argv)
{
	const char *impls[MAX_TARGET_ARGS / 2], *coverage = NULL, *value;
	int explicit_args = 0, nimpls = 0;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if ((value = flag_value(arg, "-timeout")))
			config.timeout_ms = atol(value) * 1000L;
		else if ((value = flag_value(arg, "-rss_limit_mb")))
			config.rss_limit_mb = atol(value);
		else if ((value = flag_value(arg, "-artifact_prefix")))
			config.artifact_prefix = value;
		else if ((value = flag_value(arg, "-exact_artifact_path")))
			config.exact_artifact_path = value;
		else if ((value = flag_value(arg, "--target_path")))
			config.target_path = value;
		else if ((value = flag_value(arg, "--target_arg"))) {
			add_target_arg(value);
			explicit_args = 1;
		} else if ((value = flag_value(arg, "--impl")) && nimpls < MAX_TARGET_ARGS / 2)
			impls[nimpls++] = value;
		else if ((value = flag_value(arg, "--coverage")))
			coverage = value;
	}
	if (!config.target_path) {
		/* Published layout: <dir>/p2m_fuzzer and <dir>/p2m_fuzzer.dotnet/p2mfuzz. */
		ssize_t n = readlink("/proc/self/exe", default_target, sizeof default_target - 32);
		if (n < 0)
			fail("readlink(/proc/self/exe)");
		default_target[n] = 0;
		strcat(default_target, ".dotnet/p2mfuzz");
		config.target_path = default_target;
	}
	if (!explicit_args)
		add_target_arg("libfuzzer");
	for (int k = 0; k < nimpls; k++) {
		add_target_arg("--impl");
		add_target_arg(impls[k]);
	}
	if (coverage) {
		add_target_arg("--coverage");
		add_target_arg(coverage);
	}
}

/* True for libFuzzer's parent modes, whose process runs no input itself: no .NET side needed there. */
static int is_parent_mode(int argc, char **argv)
{
	int merge = 0, inner = 0, parent = 0;
	const char *value;
	for (int i = 1; i < argc; i++) {
		if ((value = flag_value(argv[i], "-fork")) || (value = flag_value(argv[i], "-jobs")) ||
		    (value = flag_value(argv[i], "-minimize_crash")))
			parent |= atol(value) > 0;
		else if ((value = flag_value(argv[i], "-merge")) || (value = flag_value(argv[i], "-set_cover_merge")))
			merge |= atol(value) > 0;
		else if ((value = flag_value(argv[i], "-merge_inner")) || (value = flag_value(argv[i], "-minimize_crash_internal_step")))
			inner |= atol(value) > 0;
	}
	return !inner && (parent || merge);
}

static void set_env(char **env, int *count, const char *name, const char *value)
{
	if (asprintf(&env[(*count)++], "%s=%s", name, value) < 0)
		fail("asprintf");
}

/*
 * The .NET side's environment, built before fork (the child only calls async-signal-safe functions):
 * ours, then the rest of this process's environment without the names we set.
 */
static char **side_environment(int control_fd, int status_fd, const char *death_kind, const char *death_detail, int death_fd)
{
	extern char **environ;
	static const char *ours[] = { "__LIBFUZZER_SHM_ID", "__LIBFUZZER_CONTROL_PIPE_ID", "__LIBFUZZER_STATUS_PIPE_ID",
		"P2M_SEMANTIC_COUNTERS", "P2M_ARTIFACT_PREFIX", "P2M_EXACT_ARTIFACT_PATH", "P2M_DEATH_KIND",
		"P2M_DEATH_DETAIL", "P2M_DEATH_INPUT", NULL };
	int existing = 0;
	while (environ[existing])
		existing++;
	char **env = calloc(existing + 16, sizeof *env);
	char number[32];
	int count = 0;
	if (!env)
		fail("calloc");
	snprintf(number, sizeof number, "%d", shm_id);
	set_env(env, &count, "__LIBFUZZER_SHM_ID", number);
	snprintf(number, sizeof number, "%d", control_fd);
	set_env(env, &count, "__LIBFUZZER_CONTROL_PIPE_ID", number);
	snprintf(number, sizeof number, "%d", status_fd);
	set_env(env, &count, "__LIBFUZZER_STATUS_PIPE_ID", number);
	snprintf(number, sizeof number, "/proc/self/fd/%d", semantic_fd);
	set_env(env, &count, "P2M_SEMANTIC_COUNTERS", number);
	if (config.artifact_prefix)
		set_env(env, &count, "P2M_ARTIFACT_PREFIX", config.artifact_prefix);
	if (config.exact_artifact_path)
		set_env(env, &count, "P2M_EXACT_ARTIFACT_PATH", config.exact_artifact_path);
	if (death_kind) {
		set_env(env, &count, "P2M_DEATH_KIND", death_kind);
		set_env(env, &count, "P2M_DEATH_DETAIL", death_detail);
		snprintf(number, sizeof number, "/proc/self/fd/%d", death_fd);
		set_env(env, &count, "P2M_DEATH_INPUT", number);
	}
	for (int i = 0; i < existing; i++) {
		int ours_too = 0;
		for (const char **name = ours; *name; name++) {
			size_t length = strlen(*name);
			ours_too |= strncmp(environ[i], *name, length) == 0 && environ[i][length] == '=';
		}
		if (!ours_too)
			env[count++] = environ[i];
	}
	env[count] = NULL;
	return env;
}

static int read_full(int fd, void *buffer, size_t size)
{
	size_t done = 0;
	while (done < size) {
		ssize_t n = read(fd, (char *)buffer + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		done += (size_t)n;
	}
	return 1;
}

static int write_full(int fd, const void *buffer, size_t size)
{
	size_t done = 0;
	while (done < size) {
		ssize_t n = write(fd, (const char *)buffer + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		done += (size_t)n;
	}
	return 1;
}

/* Waits up to timeout_ms for the status pipe to be readable: 1 ready, 0 timed out. */
static int wait_readable(long timeout_ms)
{
	struct pollfd fd = { .fd = side.status, .events = POLLIN };
	long deadline = monotonic_ms() + timeout_ms;
	for (;;) {
		long left = deadline - monotonic_ms();
		if (left < 0)
			left = 0;
		int n = poll(&fd, 1, (int)left);
		if (n > 0)
			return 1;
		if (n == 0)
			return 0;
		if (errno != EINTR)
			fail("poll");
	}
}

static void describe_exit(int status, char *out, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(out, size, "was killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WIFEXITED(status))
		snprintf(out, size, "exited with code %d", WEXITSTATUS(status));
	else
		snprintf(out, size, "stopped (status 0x%x)", status);
}

static void side_reap(int *status)
{
	*status = 0;
	while (side.pid > 0 && waitpid(side.pid, status, 0) < 0 && errno == EINTR)
		continue;
	close(side.control);
	close(side.status);
	side.pid = side.control = side.status = -1;
}

static void side_kill(void)
{
	int status;
	if (side.pid > 0)
		kill(side.pid, SIGKILL);
	side_reap(&status);
}

/*
 * Starts the .NET side and waits for its ready status. With death_kind set it is a restart after an
 * input killed, hung or exhausted the previous side: the new one writes that input's repro first.
 */
static void side_start(const char *death_kind, const char *death_detail, int death_fd)
{
	int control[2], status[2];
	if (pipe2(control, O_CLOEXEC) || pipe2(status, O_CLOEXEC))
		fail("pipe2");
	char **env = side_environment(control[0], status[1], death_kind, death_detail, death_fd);
	char *args[MAX_TARGET_ARGS + 2];
	args[0] = (char *)config.target_path;
	for (int i = 0; i < config.target_argc; i++)
		args[i + 1] = (char *)config.target_args[i];
	args[config.target_argc + 1] = NULL;

	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		/* The side never outlives the driver, however the driver ends (libFuzzer's _Exit included). */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		/* Keep libFuzzer's stdout for libFuzzer: the side's output goes to stderr. */
		dup2(2, 1);
		/* Only the side's own ends cross exec, at their own numbers. */
		fcntl(control[0], F_SETFD, 0);
		fcntl(status[1], F_SETFD, 0);
		fcntl(semantic_fd, F_SETFD, 0);
		if (death_fd >= 0)
			fcntl(death_fd, F_SETFD, 0);
		signal(SIGPIPE, SIG_DFL);
		execvpe(args[0], args, env);
		static const char message[] = "p2m_fuzzer: cannot run the .NET side (--target_path)\n";
		write(2, message, sizeof message - 1);
		_exit(127);
	}
	for (int i = 0; env[i]; i++)
		if (strncmp(env[i], "__LIBFUZZER_", 12) == 0 || strncmp(env[i], "P2M_", 4) == 0)
			free(env[i]);
	free(env);
	close(control[0]);
	close(status[1]);
	side.pid = pid;
	side.control = control[1];
	side.status = status[0];

	int32_t ready = -1;
	if (!wait_readable(STARTUP_TIMEOUT_MS)) {
		fprintf(stderr, "p2m_fuzzer: the .NET side (%s) was not ready after %d s\n", config.target_path, STARTUP_TIMEOUT_MS / 1000);
		side_kill();
		exit(1);
	}
	if (!read_full(side.status, &ready, sizeof ready) || ready != 0) {
		int exit_status;
		char what[128];
		side_reap(&exit_status);
		describe_exit(exit_status, what, sizeof what);
		fprintf(stderr, "p2m_fuzzer: the .NET side (%s", config.target_path);
		for (int i = 0; i < config.target_argc; i++)
			fprintf(stderr, " %s", config.target_args[i]);
		fprintf(stderr, ") %s before it was ready\n", what);
		exit(1);
	}
}

static long side_rss_mb(void)
{
	char path[64];
	long pages_total = 0, pages_resident = 0;
	snprintf(path, sizeof path, "/proc/%d/statm", (int)side.pid);
	FILE *statm = fopen(path, "r");
	if (!statm)
		return 0;
	if (fscanf(statm, "%ld %ld", &pages_total, &pages_resident) != 2)
		pages_resident = 0;
	fclose(statm);
	return pages_resident * (sysconf(_SC_PAGESIZE) / 1024) / 1024;
}

/* Runs the input already in shared memory; while waiting, watches the side's life, time and memory. */
static enum outcome side_run(size_t size, long *rss_mb)
{
	int32_t length = (int32_t)size, status;
	if (!write_full(side.control, &length, sizeof length))
		return DIED;
	long started = monotonic_ms();
	/* Kill a little before libFuzzer's own alarm would fire, so the repro is written before it exits. */
	long hang_ms = config.timeout_ms > 0 ? (config.timeout_ms > 400 ? config.timeout_ms - 200 : config.timeout_ms / 2) : 0;
	for (;;) {
		if (wait_readable(WATCH_TICK_MS))
			return read_full(side.status, &status, sizeof status) ? (status == 0 ? PASSED : FAILED) : DIED;
		if (config.rss_limit_mb > 0 && (*rss_mb = side_rss_mb()) > config.rss_limit_mb)
			return OUT_OF_MEMORY;
		if (hang_ms > 0 && monotonic_ms() - started >= hang_ms)
			return HUNG;
	}
}

/* The input in a memfd the restarted side can read as /proc/self/fd/N. */
static int input_file(const uint8_t *data, size_t size)
{
	int fd = memfd_create("p2m-input", MFD_CLOEXEC);
	if (fd < 0 || !write_full(fd, data, size))
		fail("memfd_create (input)");
	return fd;
}

/* Restarts the side after a death on this input; the new side writes the repro before it is ready. */
static void restart_with_repro(const char *kind, const char *detail, const uint8_t *data, size_t size)
{
	int fd = input_file(data, size);
	side_start(kind, detail, fd);
	close(fd);
}

static void copy_counters(void)
{
	memcpy(extra_counters, shm, EDGE_MAP_SIZE);
	memcpy(extra_counters + EDGE_MAP_SIZE, semantic, SEMANTIC_MAP_SIZE);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	parse_flags(*argc, *argv);
	/* A dead side's pipe must be an error to handle, not a signal that kills the driver. */
	signal(SIGPIPE, SIG_IGN);

	shm_id = shmget(IPC_PRIVATE, EDGE_MAP_SIZE + INPUT_CAPACITY, IPC_CREAT | IPC_EXCL | 0600);
	if (shm_id < 0)
		fail("shmget");
	shm = shmat(shm_id, NULL, 0);
	if (shm == (void *)-1)
		fail("shmat");
	/* Marked for removal now: it lives while attached (here and in the side), and never leaks. */
	shmctl(shm_id, IPC_RMID, NULL);

	semantic_fd = memfd_create("p2m-semantic-counters", MFD_CLOEXEC);
	if (semantic_fd < 0 || ftruncate(semantic_fd, SEMANTIC_MAP_SIZE))
		fail("memfd_create (counters)");
	semantic = mmap(NULL, SEMANTIC_MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, semantic_fd, 0);
	if (semantic == MAP_FAILED)
		fail("mmap (counters)");

	if (!is_parent_mode(*argc, *argv))
		side_start(NULL, NULL, -1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (side.pid < 0)
		side_start(NULL, NULL, -1);
	/* The codec never reads this far (it stops at its operation limit), so nothing is lost. */
	if (size > INPUT_CAPACITY)
		size = INPUT_CAPACITY;
	memset(shm, 0, EDGE_MAP_SIZE);
	memcpy(shm + EDGE_MAP_SIZE, data, size);

	long rss_mb = 0;
	enum outcome outcome = side_run(size, &rss_mb);
	if (outcome == PASSED) {
		copy_counters();
		return 0;
	}

	/* Everything below ends the run; keep libFuzzer's timeout alarm out of the repro's way. */
	sigset_t alarm, previous;
	sigemptyset(&alarm);
	sigaddset(&alarm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alarm, &previous);
	pid_t pid = getpid();
	int exit_status;
	char what[160];
	switch (outcome) {
	case FAILED:
		copy_counters();
		/* Its repro was written before it answered; it has nothing left to do. */
		side_kill();
		fprintf(stderr, "==%d== p2m_fuzzer: the .NET side reported a finding; its minimised .p2m is beside the crash artifact\n", (int)pid);
		abort();
	case DIED:
		side_reap(&exit_status);
		describe_exit(exit_status, what, sizeof what);
		fprintf(stderr, "==%d== p2m_fuzzer: the .NET side %s while running this input; restarting it to write the repro\n", (int)pid, what);
		restart_with_repro("crash", what, data, size);
		abort();
	case HUNG:
		side_kill();
		snprintf(what, sizeof what, "ran past the %ld s timeout", config.timeout_ms / 1000);
		fprintf(stderr, "==%d== p2m_fuzzer: the .NET side %s; killed and restarted it to write the repro\n", (int)pid, what);
		restart_with_repro("timeout", what, data, size);
		/* libFuzzer's alarm, pending or next, reports the timeout and writes timeout-<sha1>. */
		sigprocmask(SIG_SETMASK, &previous, NULL);
		for (long waited = 0; waited < config.timeout_ms + 5000; waited += WATCH_TICK_MS)
			usleep(WATCH_TICK_MS * 1000);
		fprintf(stderr, "==%d== ERROR: libFuzzer: timeout after %ld seconds\n", (int)pid, config.timeout_ms / 1000);
		_exit(TIMEOUT_EXIT_CODE);
	case OUT_OF_MEMORY:
		side_kill();
		snprintf(what, sizeof what, "used %ld MB, over the %ld MB limit", rss_mb, config.rss_limit_mb);
		fprintf(stderr, "==%d== ERROR: libFuzzer: out-of-memory (used: %ldMb; exceeds: %ldMb)\n", (int)pid, rss_mb, config.rss_limit_mb);
		fprintf(stderr, "   (the .NET side's memory; libFuzzer itself only sees the driver's) To change the out-of-memory limit use -rss_limit_mb=<N>\n");
		/* libFuzzer cannot see this one, so the restarted side writes the oom-<sha1> artifact too. */
		restart_with_repro("oom", what, data, size);
		side_kill();
		fprintf(stderr, "SUMMARY: libFuzzer: out-of-memory\n");
		_exit(OOM_EXIT_CODE);
	case PASSED:
		break;
	}
	return 0;
}
