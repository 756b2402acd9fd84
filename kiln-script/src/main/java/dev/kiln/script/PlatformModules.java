package dev.kiln.script;

import java.nio.file.Path;
import java.util.List;

/**
 * The platform modules' ops objects, bound on the bootstrap's {@code ops} next to the IPC ones. A
 * module is an ops class (its {@code OP_} constants become bootstrap tokens, see
 * {@link ScriptProtocol}), a bootstrap file that registers {@code runtime:<name>}, and a type
 * declaration file under {@code modules/}; adding one is one line here.
 *
 * <p>Stateless.
 */
final class PlatformModules {
    private PlatformModules() {
    }

    /**
     * New ops for one runtime; those that are {@link AutoCloseable} are closed with it.
     *
     * @param windows the app's open windows, oldest first (runtime:app's focus, hide and show)
     */
    static List<Object> create(Platform platform, java.util.function.Supplier<List<dev.kiln.window.AppWindow>> windows) {
        SysOps sys = new SysOps(platform, Path.of("/sys/class/power_supply"));
        return List.of(
                platform.bytes(),
                new FsOps(platform),
                new StorageOps(platform),
                new LogOps(platform),
                new AppOps(platform, windows),
                new CryptoOps(platform),
                new NetOps(platform),
                new WebSocketOps(platform),
                new ProcessOps(platform, sys.env()),
                sys,
                new WasmOps(platform));
    }
}
