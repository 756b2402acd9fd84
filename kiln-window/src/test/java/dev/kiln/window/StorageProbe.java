package dev.kiln.window;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Run in its own JVM by {@link WebStorageTest}: one launch of an app. Args: web folder, app
 * identifier, data home. It opens the app's page, counts the launch in {@code localStorage}, sets
 * a persistent and a session cookie, prints {@code RESULT <json>}, then waits for a line on stdin
 * (so that tests can keep several launches running at once) and exits.
 */
public final class StorageProbe {
    private StorageProbe() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty(AppDataFolder.PROPERTY, args[2]);
        Desktop desktop = Desktop.start(DesktopConfig.of(Path.of(args[0])).withAppIdentifier(args[1]));
        AppWindow w = desktop.createWindow(WindowOptions.builder().url("app://index.html").size(300, 200).build()).get(30, TimeUnit.SECONDS);
        Automation.whenPageReady(w).get(30, TimeUnit.SECONDS);
        String result = Automation.evaluate(w, """
                (() => {
                  const cookieBefore = document.cookie;
                  if (!window.localStorage) return { error: "localStorage is " + window.localStorage, origin: location.origin };
                  const count = Number(localStorage.getItem("count") || 0) + 1;
                  localStorage.setItem("count", String(count));
                  document.cookie = "visits=" + count + "; max-age=3600; path=/";
                  document.cookie = "session=" + count + "; path=/";
                  return { count, cookieBefore, origin: location.origin };
                })()""").get(30, TimeUnit.SECONDS);
        System.out.println("RESULT " + result.replace("}", ",\"slot\":" + desktop.webData().slot().number() + "}"));
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        desktop.close();
        desktop.terminated().get(30, TimeUnit.SECONDS);
        System.exit(0);
    }
}
