/*
 * m64pinput: a Mupen64Plus input plugin (input API 2.1.1) for the interop
 * test. It plugs in one standard controller with no pak and answers every
 * GetKeys with a fixed pattern of the poll number, different per player,
 * and logs each answer ("poll keys" in hex, one line each) so the test can
 * find the samples in the server's ordered stream.
 *
 * Player 1 holds A, alternates D-pad right and left every 16 polls and
 * moves the stick X from 0 to 63 a step per 4 polls. Player 2 holds B,
 * alternates C-up and C-down and moves the stick Y from 0 to -63. So no
 * value is 0, and no value of one player is a value of the other (A is
 * bit 7, B bit 6 of BUTTONS.Value, m64p_plugin.h).
 */
#define M64P_PLUGIN_PROTOTYPES 1
#include <stdio.h>

#include "m64p_common.h"
#include "m64p_plugin.h"
#include "m64p_types.h"

static int player;
static FILE *keylog;
static unsigned polls;

/* interop_setup is called by the driver before the plugin is attached. */
EXPORT int CALL interop_setup(int p, const char *logpath)
{
    player = p;
    keylog = fopen(logpath, "w");
    if (keylog == NULL)
        return 0;
    setvbuf(keylog, NULL, _IOLBF, 0); /* whole lines even if the core crashes */
    return 1;
}

static unsigned pattern(unsigned n)
{
    BUTTONS k = {0};
    unsigned step = (n / 4) % 64;
    int flip = (n / 16) % 2;
    if (player == 1) {
        k.A_BUTTON = 1;
        k.R_DPAD = !flip;
        k.L_DPAD = flip;
        k.X_AXIS = (int)step;
    } else {
        k.B_BUTTON = 1;
        k.U_CBUTTON = !flip;
        k.D_CBUTTON = flip;
        k.Y_AXIS = -(int)step;
    }
    return k.Value;
}

EXPORT m64p_error CALL PluginStartup(m64p_dynlib_handle core, void *ctx, void (*debug)(void *, int, const char *))
{
    (void)core; (void)ctx; (void)debug;
    return M64ERR_SUCCESS;
}

EXPORT m64p_error CALL PluginShutdown(void)
{
    return M64ERR_SUCCESS;
}

EXPORT m64p_error CALL PluginGetVersion(m64p_plugin_type *type, int *version, int *api, const char **name, int *caps)
{
    if (type) *type = M64PLUGIN_INPUT;
    if (version) *version = 0x010000;
    if (api) *api = 0x020101;
    if (name) *name = "interop test input";
    if (caps) *caps = 0;
    return M64ERR_SUCCESS;
}

EXPORT void CALL InitiateControllers(CONTROL_INFO info)
{
    /* The core maps this client's first controller to its netplay player. */
    info.Controls[0].Present = 1;
    info.Controls[0].RawData = 0;
    info.Controls[0].Plugin = PLUGIN_NONE;
}

EXPORT void CALL GetKeys(int control, BUTTONS *keys)
{
    (void)control;
    keys->Value = pattern(polls);
    if (keylog)
        fprintf(keylog, "%u %08x\n", polls, keys->Value);
    polls++;
}

EXPORT void CALL ControllerCommand(int control, unsigned char *cmd) { (void)control; (void)cmd; }
EXPORT void CALL ReadController(int control, unsigned char *cmd) { (void)control; (void)cmd; }
EXPORT int CALL RomOpen(void) { return 1; }

EXPORT void CALL RomClosed(void)
{
    if (keylog)
        fflush(keylog);
}

EXPORT void CALL SDL_KeyDown(int keymod, int keysym) { (void)keymod; (void)keysym; }
EXPORT void CALL SDL_KeyUp(int keymod, int keysym) { (void)keymod; (void)keysym; }
