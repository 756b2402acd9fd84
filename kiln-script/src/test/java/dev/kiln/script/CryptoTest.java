package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * runtime:crypto and the crypto global through the real script host. The expected values come from
 * independent implementations (FIPS 180 and RFC 4231 test vectors; Python's hashlib and Node's crypto
 * for PBKDF2 and AES-GCM), not from Kiln.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CryptoTest {
    @TempDir
    Path app;

    private static final String HEX = "const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');\n"
            + "const bytes = (n, v) => new Uint8Array(n).fill(v);\n";

    @Test
    void hashesAndHmacsMatchTheStandardVectors() {
        var r = new ScriptFixture(app).run("import * as c from 'runtime:crypto';\n" + HEX + """
                console.log("sha256 " + hex(c.hash("sha256", "abc")));
                console.log("sha256b " + hex(c.hash("SHA-256", new TextEncoder().encode("abc"))));
                console.log("sha384 " + c.hashHex("sha384", "abc").slice(0, 32));
                console.log("sha512 " + c.hashHex("sha-512", "").slice(0, 32));
                const mac = c.hmac("sha256", new TextEncoder().encode("Jefe"), new TextEncoder().encode("what do ya want for nothing?"));
                console.log("hmac " + hex(mac));
                console.log("verify " + c.verify("sha256", new TextEncoder().encode("Jefe"), new TextEncoder().encode("what do ya want for nothing?"), mac));
                mac[0] ^= 1;
                console.log("verify changed " + c.verify("sha256", new TextEncoder().encode("Jefe"), new TextEncoder().encode("what do ya want for nothing?"), mac));
                const padded = new TextEncoder().encode("xxabcxx");
                console.log("subarray " + hex(c.hash("sha256", padded.subarray(2, 5))));
                try { c.hash("md5", "x"); } catch (e) { console.log("md5 " + e.code + " " + e.message); }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                "sha256 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                "sha256b ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                "subarray ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                "sha384 cb00753f45a35e8bb5a03d699ac65007",
                "sha512 cf83e1357eefb8bdf1542850d66d8007",
                "hmac 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                "verify true", "verify changed false",
                "md5 7024 [7024] hash(): unknown hash algorithm 'md5'; use sha256, sha384 or sha512");
    }

    @Test
    void aesGcmAndPbkdf2() {
        var r = new ScriptFixture(app).run("import * as c from 'runtime:crypto';\n" + HEX + """
                const fixed = c.encrypt("aes-256-gcm", bytes(32, 7), new TextEncoder().encode("Kiln secret"), bytes(12, 9));
                console.log("fixed " + hex(fixed.iv) + " " + hex(fixed.ciphertext) + " " + hex(fixed.tag));
                const small = c.encrypt("aes-128-gcm", bytes(16, 3), new TextEncoder().encode("x"), bytes(12, 9));
                console.log("aes128 " + hex(small.ciphertext) + " " + hex(small.tag));
                const key = c.generateKey("aes-256-gcm");
                const sealed = c.encrypt("aes-256-gcm", key, new TextEncoder().encode("round trip ✓"));
                console.log("random iv " + sealed.iv.length + " " + sealed.tag.length);
                console.log("decrypted " + new TextDecoder().decode(c.decrypt("aes-256-gcm", key, sealed)));
                sealed.ciphertext[0] ^= 1;
                try { c.decrypt("aes-256-gcm", key, sealed); } catch (e) { console.log("tampered " + e.code + " " + e.message); }
                try { c.encrypt("aes-256-gcm", bytes(16, 1), bytes(4, 0)); } catch (e) { console.log("short key " + e.code + " " + e.message); }
                console.log("pbkdf2 " + hex(c.deriveKey("correct horse", new TextEncoder().encode("saltsalt12"), 1000, 32)));
                console.log("pbkdf2 utf8 " + hex(c.deriveKey("pässwörd", new TextEncoder().encode("saltsalt12"), 1000, 16)));
                try { c.deriveKey("p", bytes(4, 1), 1000, 32); } catch (e) { console.log("short salt " + e.code + " " + e.message); }
                console.log("hmac key " + c.generateKey("hmac-sha512", 64).length + " " + c.generateKey("hmac-sha256").length);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                "fixed 090909090909090909090909 6cece8fa9e83a402d207bf bdb7572132bfd40f0e46556cd8a37a17",
                "aes128 cd 17f8e6e571668ac2abc56f82e477e7ec",
                "random iv 12 16", "decrypted round trip ✓",
                "tampered 7025 [7025] decrypt(): the data does not authenticate",
                "short key 7025 [7025] encrypt(): aes-256-gcm needs a 32-byte key, got 16 bytes",
                "pbkdf2 0b48f4d555cbf141944988cc5e95b0dc5228c7dec246f6c22cb260cd31b37273",
                "pbkdf2 utf8 ad72392a67435fe1ccc7980a1393cf19",
                "short salt 7025 [7025] deriveKey(): the salt should be at least 8 bytes, got 4",
                "hmac key 64 32");
    }

    @Test
    void randomnessAndTheStandardGlobals() {
        var r = new ScriptFixture(app).run("import { randomBytes, randomUUID } from 'runtime:crypto';\n" + HEX + """
                const a = randomBytes(32), b = randomBytes(32);
                console.log("random " + a.length + " " + (hex(a) !== hex(b)) + " " + (a instanceof Uint8Array));
                const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
                console.log("uuid " + uuid.test(randomUUID()) + " " + uuid.test(crypto.randomUUID()) + " " + (randomUUID() !== randomUUID()));
                const words = new Uint32Array(16);
                const same = crypto.getRandomValues(words);
                console.log("getRandomValues " + (same === words) + " " + words.some((w) => w !== 0));
                const view = new Uint8Array(new ArrayBuffer(64), 16, 8);
                crypto.getRandomValues(view);
                console.log("view " + new Uint8Array(view.buffer, 0, 16).every((x) => x === 0));
                try { crypto.getRandomValues(new Float64Array(2)); } catch (e) { console.log("float " + e.name); }
                try { crypto.getRandomValues(new Uint8Array(65537)); } catch (e) { console.log("quota " + e.name); }
                try { randomBytes(-1); } catch (e) { console.log("negative " + e.code); }
                console.log("subtle " + typeof crypto.subtle);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("random 32 true true", "uuid true true true", "getRandomValues true true", "view true",
                "float TypeMismatchError", "quota QuotaExceededError", "negative 7024", "subtle undefined");
    }
}
