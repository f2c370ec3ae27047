/*
 * m64pdriver: a minimal Mupen64Plus front end for the interop test. It
 * loads the stock core (libmupen64plus.so.2), opens a ROM, attaches the
 * m64pinput plugin (video, audio and RSP stay the core's dummies), joins a
 * netplay game server as one player through the core's netplay commands
 * and runs the game for a number of seconds.
 *
 * The command sequence is the one simple64 and RMG use with
 * mupen64plus-core (src/api/frontend.c): CoreStartup, M64CMD_ROM_OPEN,
 * CoreAttachPlugin (CONTROL_PLAYER registers the plugin's Controls[0], so
 * the plugin comes first), CoreDetachPlugin(RSP), M64CMD_NETPLAY_INIT, M64CMD_NETPLAY_GET_VERSION,
 * M64CMD_NETPLAY_CONTROL_PLAYER, M64CMD_EXECUTE; M64CMD_STOP from a timer
 * thread that starts when the core reports the emulator running (after
 * the registration barrier); then M64CMD_NETPLAY_CLOSE.
 *
 * usage: m64pdriver CORE.so PLUGIN.so ROM CONFIGDIR DATADIR HOST PORT
 *                   PLAYER REGID SECONDS KEYLOG [EMUMODE]
 *
 * stdout gets one "key value" line per step for the test to parse;
 * stderr gets the core's log (errors, warnings, info), except that the
 * core's "received unknown message from server" lines are only counted.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "m64p_common.h"
#include "m64p_config.h"
#include "m64p_frontend.h"
#include "m64p_plugin.h"
#include "m64p_types.h"

/* API versions of mupen64plus-core 2.5.9 (src/main/version.h). */
#define FRONTEND_API 0x020104
#define NETPLAY_API 0x010001

static ptr_CoreDoCommand do_command;
static int seconds;
static volatile int started;
static volatile unsigned unknown_packets;
static volatile unsigned lost_connection;

static void on_debug(void *ctx, int level, const char *msg)
{
    (void)ctx;
    if (strstr(msg, "received unknown message from server")) {
        unknown_packets++;
        return;
    }
    if (strstr(msg, "lost connection to server"))
        lost_connection++;
    if (level <= M64MSG_INFO)
        fprintf(stderr, "core[%d]: %s\n", level, msg);
}

static void *stopper(void *arg)
{
    (void)arg;
    struct timespec ts = {seconds, 0};
    nanosleep(&ts, NULL);
    printf("stop-requested rc=%d\n", do_command(M64CMD_STOP, 0, NULL));
    fflush(stdout);
    return NULL;
}

static void on_state(void *ctx, m64p_core_param param, int value)
{
    (void)ctx;
    if (param != M64CORE_EMU_STATE || value != M64EMU_RUNNING || started)
        return;
    started = 1;
    printf("running\n");
    fflush(stdout);
    pthread_t t;
    if (pthread_create(&t, NULL, stopper, NULL) == 0)
        pthread_detach(t);
}

static void *sym(void *lib, const char *name)
{
    void *p = dlsym(lib, name);
    if (p == NULL) {
        fprintf(stderr, "m64pdriver: %s: %s\n", name, dlerror());
        exit(2);
    }
    return p;
}

static void check(const char *what, m64p_error rc)
{
    printf("%s rc=%d\n", what, rc);
    fflush(stdout);
    if (rc != M64ERR_SUCCESS) {
        fprintf(stderr, "m64pdriver: %s failed: %d\n", what, rc);
        exit(1);
    }
}

static unsigned char *read_file(const char *path, long *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(*size);
    if (b == NULL || fread(b, 1, *size, f) != (size_t)*size) {
        fclose(f);
        free(b);
        return NULL;
    }
    fclose(f);
    return b;
}

int main(int argc, char **argv)
{
    if (argc != 12 && argc != 13) {
        fprintf(stderr, "usage: m64pdriver CORE.so PLUGIN.so ROM CONFIGDIR DATADIR HOST PORT PLAYER REGID SECONDS KEYLOG [EMUMODE]\n");
        return 2;
    }
    const char *corepath = argv[1], *pluginpath = argv[2], *rompath = argv[3];
    const char *configdir = argv[4], *datadir = argv[5], *host = argv[6];
    int port = atoi(argv[7]), player = atoi(argv[8]);
    unsigned regid = (unsigned)strtoul(argv[9], NULL, 0);
    seconds = atoi(argv[10]);
    const char *keylog = argv[11];
    setvbuf(stdout, NULL, _IOLBF, 0);

    void *core = dlopen(corepath, RTLD_NOW | RTLD_LOCAL);
    if (core == NULL) {
        fprintf(stderr, "m64pdriver: %s\n", dlerror());
        return 3;
    }
    ptr_CoreStartup startup = (ptr_CoreStartup)sym(core, "CoreStartup");
    ptr_CoreAttachPlugin attach = (ptr_CoreAttachPlugin)sym(core, "CoreAttachPlugin");
    ptr_CoreDetachPlugin detach = (ptr_CoreDetachPlugin)sym(core, "CoreDetachPlugin");
    ptr_ConfigOpenSection open_section = (ptr_ConfigOpenSection)sym(core, "ConfigOpenSection");
    ptr_ConfigSetParameter set_param = (ptr_ConfigSetParameter)sym(core, "ConfigSetParameter");
    do_command = (ptr_CoreDoCommand)sym(core, "CoreDoCommand");

    check("startup", startup(FRONTEND_API, configdir, datadir, NULL, on_debug, NULL, on_state));

    /* Keep the core's files in the test's directory, and no on-screen
     * display (there is no video plugin to draw it). */
    m64p_handle cfg;
    check("config", open_section("Core", &cfg));
    int no = 0;
    check("config OnScreenDisplay", set_param(cfg, "OnScreenDisplay", M64TYPE_BOOL, &no));
    check("config SaveSRAMPath", set_param(cfg, "SaveSRAMPath", M64TYPE_STRING, configdir));
    check("config SaveStatePath", set_param(cfg, "SaveStatePath", M64TYPE_STRING, configdir));
    check("config ScreenshotPath", set_param(cfg, "ScreenshotPath", M64TYPE_STRING, configdir));
    if (argc == 13) {
        /* R4300Emulator: 0 pure interpreter, 1 cached, 2 dynarec. Player 1
         * sends it to the others in the netplay settings. */
        int mode = atoi(argv[12]);
        check("config R4300Emulator", set_param(cfg, "R4300Emulator", M64TYPE_INT, &mode));
    }

    long romsize;
    unsigned char *rom = read_file(rompath, &romsize);
    if (rom == NULL) {
        fprintf(stderr, "m64pdriver: cannot read %s\n", rompath);
        return 2;
    }
    check("rom-open", do_command(M64CMD_ROM_OPEN, (int)romsize, rom));
    free(rom);

    void *plugin = dlopen(pluginpath, RTLD_NOW | RTLD_LOCAL);
    if (plugin == NULL) {
        fprintf(stderr, "m64pdriver: %s\n", dlerror());
        return 2;
    }
    int (*setup)(int, const char *) = (int (*)(int, const char *))sym(plugin, "interop_setup");
    ptr_PluginStartup plugin_startup = (ptr_PluginStartup)sym(plugin, "PluginStartup");
    if (!setup(player, keylog)) {
        fprintf(stderr, "m64pdriver: cannot write %s\n", keylog);
        return 2;
    }
    check("plugin-startup", plugin_startup(core, NULL, on_debug));
    check("attach-input", attach(M64PLUGIN_INPUT, plugin));
    /* CoreStartup installs the dummy video, audio and input plugins but
     * not the dummy RSP (it passes M64PLUGIN_CORE where M64PLUGIN_RSP is
     * meant), so without an RSP plugin main_run calls a NULL
     * rsp.romClosed when the game ends. Detaching installs the dummy. */
    check("detach-rsp", detach(M64PLUGIN_RSP));

    check("netplay-init", do_command(M64CMD_NETPLAY_INIT, port, (void *)host));
    unsigned version = 0;
    m64p_error rc = do_command(M64CMD_NETPLAY_GET_VERSION, NETPLAY_API, &version);
    printf("netplay-version %u\n", version);
    check("netplay-get-version", rc);
    check("netplay-control-player", do_command(M64CMD_NETPLAY_CONTROL_PLAYER, player, &regid));

    rc = do_command(M64CMD_EXECUTE, 0, NULL);
    printf("unknown-packets %u\n", unknown_packets);
    printf("lost-connection %u\n", lost_connection);
    /* The test counts everything up to this line; NETPLAY_CLOSE may crash
     * the stock core after a game (see the test). */
    printf("execute-done rc=%d\n", rc);
    fflush(stdout);
    fflush(stderr);

    printf("netplay-close rc=%d\n", do_command(M64CMD_NETPLAY_CLOSE, 0, NULL));
    printf("rom-close rc=%d\n", do_command(M64CMD_ROM_CLOSE, 0, NULL));
    printf("exit\n");
    return rc == M64ERR_SUCCESS ? 0 : 1;
}
