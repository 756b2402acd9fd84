package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.values.V8Value;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ops behind {@code runtime:crypto} and the {@code crypto} global (bootstrap {@code 10-crypto.js}),
 * on the JDK's providers: SHA-2 hashes, HMAC, AES-GCM, PBKDF2-HMAC-SHA256 and a {@link SecureRandom}.
 * Synchronous, as Forge's functions are: they run on the loop (a deriveKey with many iterations
 * holds it for as long as it computes).
 *
 * <p>Threading: loop thread only.
 */
final class CryptoOps {
    static final String OP_CRYPTO_RANDOM = "cryptoRandom";
    static final String OP_CRYPTO_UUID = "cryptoUuid";
    static final String OP_CRYPTO_HASH = "cryptoHash";
    static final String OP_CRYPTO_HMAC = "cryptoHmac";
    static final String OP_CRYPTO_VERIFY = "cryptoVerify";
    static final String OP_CRYPTO_ENCRYPT = "cryptoEncrypt";
    static final String OP_CRYPTO_DECRYPT = "cryptoDecrypt";
    static final String OP_CRYPTO_GENERATE_KEY = "cryptoGenerateKey";
    static final String OP_CRYPTO_DERIVE_KEY = "cryptoDeriveKey";

    /** The largest randomBytes: more is almost surely a mistake (and would hold the loop). */
    static final int MAX_RANDOM_BYTES = 64 * 1024 * 1024;
    private static final int GCM_IV_BYTES = 12;
    private static final int GCM_TAG_BITS = 128;
    private static final int MIN_SALT_BYTES = 8;

    private final BytesOps bytes;
    private final SecureRandom random = new SecureRandom();

    CryptoOps(Platform platform) {
        this.bytes = platform.bytes();
    }

    @V8Function(name = OP_CRYPTO_RANDOM)
    public V8Value randomBytes(int size) throws JavetException {
        if (size < 0 || size > MAX_RANDOM_BYTES) {
            throw invalid("randomBytes(): the size must be from 0 to " + MAX_RANDOM_BYTES + ", got " + size);
        }
        byte[] b = new byte[size];
        random.nextBytes(b);
        return bytes.array(b);
    }

    @V8Function(name = OP_CRYPTO_UUID)
    public String randomUuid() {
        return UUID.randomUUID().toString(); // version 4, from a SecureRandom
    }

    @V8Function(name = OP_CRYPTO_HASH)
    public V8Value hash(String algorithm, V8Value data) throws JavetException {
        try {
            return bytes.array(MessageDigest.getInstance(sha(algorithm, "hash")).digest(BytesOps.bytes(data, "hash(): data")));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @V8Function(name = OP_CRYPTO_HMAC)
    public V8Value hmac(String algorithm, V8Value key, V8Value data) throws JavetException {
        return bytes.array(mac(algorithm, BytesOps.bytes(key, "hmac(): key"), BytesOps.bytes(data, "hmac(): data"), "hmac"));
    }

    /** Whether {@code signature} is the HMAC of the data, compared in constant time. */
    @V8Function(name = OP_CRYPTO_VERIFY)
    public boolean verify(String algorithm, V8Value key, V8Value data, V8Value signature) throws JavetException {
        byte[] expected = mac(algorithm, BytesOps.bytes(key, "verify(): key"), BytesOps.bytes(data, "verify(): data"), "verify");
        return MessageDigest.isEqual(expected, BytesOps.bytes(signature, "verify(): signature"));
    }

    /** AES-GCM; the result is iv, ciphertext and tag, one after the other (the bootstrap splits them). */
    @V8Function(name = OP_CRYPTO_ENCRYPT)
    public V8Value encrypt(String algorithm, V8Value key, V8Value data, V8Value iv) throws JavetException {
        byte[] k = aesKey(algorithm, BytesOps.bytes(key, "encrypt(): key"), "encrypt");
        byte[] nonce;
        if (iv == null || iv.isNullOrUndefined()) {
            nonce = new byte[GCM_IV_BYTES];
            random.nextBytes(nonce);
        } else {
            nonce = BytesOps.bytes(iv, "encrypt(): iv");
            if (nonce.length != GCM_IV_BYTES) {
                throw failed("encrypt(): AES-GCM needs a 12-byte iv, got " + nonce.length + " bytes");
            }
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(GCM_TAG_BITS, nonce));
            byte[] sealed = c.doFinal(BytesOps.bytes(data, "encrypt(): data")); // ciphertext, then the tag
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return bytes.array(out);
        } catch (GeneralSecurityException e) {
            throw failed("encrypt() failed: " + e.getMessage());
        }
    }

    @V8Function(name = OP_CRYPTO_DECRYPT)
    public V8Value decrypt(String algorithm, V8Value key, V8Value iv, V8Value ciphertext, V8Value tag) throws JavetException {
        byte[] k = aesKey(algorithm, BytesOps.bytes(key, "decrypt(): key"), "decrypt");
        byte[] nonce = BytesOps.bytes(iv, "decrypt(): iv");
        byte[] ct = BytesOps.bytes(ciphertext, "decrypt(): ciphertext");
        byte[] t = BytesOps.bytes(tag, "decrypt(): tag");
        if (nonce.length != GCM_IV_BYTES) {
            throw failed("decrypt(): AES-GCM needs a 12-byte iv, got " + nonce.length + " bytes");
        }
        if (t.length != GCM_TAG_BITS / 8) {
            throw failed("decrypt(): the tag must be 16 bytes, got " + t.length);
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(GCM_TAG_BITS, nonce));
            byte[] sealed = Arrays.copyOf(ct, ct.length + t.length);
            System.arraycopy(t, 0, sealed, ct.length, t.length);
            return bytes.array(c.doFinal(sealed));
        } catch (AEADBadTagException e) {
            throw failed("decrypt(): the data does not authenticate: a wrong key, iv or tag, or data that was changed");
        } catch (GeneralSecurityException e) {
            throw failed("decrypt() failed: " + e.getMessage());
        }
    }

    @V8Function(name = OP_CRYPTO_GENERATE_KEY)
    public V8Value generateKey(String algorithm, int length) throws JavetException {
        String a = algorithm.toLowerCase(Locale.ROOT);
        int size;
        if (a.startsWith("hmac-")) {
            sha(a.substring(5), "generateKey");
            size = length > 0 ? length : 32;
            if (size > 1024) {
                throw invalid("generateKey(): an HMAC key of " + size + " bytes is too long (at most 1024)");
            }
        } else {
            size = aesKeyBytes(algorithm, "generateKey");
        }
        byte[] k = new byte[size];
        random.nextBytes(k);
        return bytes.array(k);
    }

    /** PBKDF2 with HMAC-SHA256 over the password's UTF-8 bytes, as Forge derives keys. */
    @V8Function(name = OP_CRYPTO_DERIVE_KEY)
    public V8Value deriveKey(String password, V8Value salt, int iterations, int keyLength) throws JavetException {
        byte[] s = BytesOps.bytes(salt, "deriveKey(): salt");
        if (iterations <= 0) {
            throw failed("deriveKey(): iterations must be greater than 0, got " + iterations);
        }
        if (s.length < MIN_SALT_BYTES) {
            throw failed("deriveKey(): the salt should be at least 8 bytes, got " + s.length);
        }
        if (keyLength <= 0 || keyLength > 1024) {
            throw invalid("deriveKey(): keyLength must be from 1 to 1024 bytes, got " + keyLength);
        }
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), s, iterations, keyLength * 8);
            try {
                return bytes.array(f.generateSecret(spec).getEncoded());
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw failed("deriveKey() failed: " + e.getMessage());
        }
    }

    private static byte[] mac(String algorithm, byte[] key, byte[] data, String fn) {
        String name = "Hmac" + sha(algorithm, fn).replace("-", "");
        try {
            Mac m = Mac.getInstance(name);
            m.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, name)); // the JDK refuses an empty key; HMAC pads it with zeros anyway
            return m.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw failed(fn + "() failed: " + e.getMessage());
        }
    }

    /** The JDK name of a Forge hash name: sha256, sha-256 (any case) and so on. */
    private static String sha(String algorithm, String fn) {
        return switch (algorithm == null ? "" : algorithm.toLowerCase(Locale.ROOT)) {
            case "sha256", "sha-256" -> "SHA-256";
            case "sha384", "sha-384" -> "SHA-384";
            case "sha512", "sha-512" -> "SHA-512";
            default -> throw invalid(fn + "(): unknown hash algorithm '" + algorithm + "'; use sha256, sha384 or sha512");
        };
    }

    private static int aesKeyBytes(String algorithm, String fn) {
        return switch (algorithm == null ? "" : algorithm.toLowerCase(Locale.ROOT)) {
            case "aes-256-gcm", "aes256gcm", "aes-gcm" -> 32;
            case "aes-128-gcm", "aes128gcm" -> 16;
            default -> throw invalid(fn + "(): unknown algorithm '" + algorithm + "'; use aes-256-gcm or aes-128-gcm"
                    + (fn.equals("generateKey") ? ", or hmac-sha256, hmac-sha384, hmac-sha512" : ""));
        };
    }

    private static byte[] aesKey(String algorithm, byte[] key, String fn) {
        int size = aesKeyBytes(algorithm, fn);
        if (key.length != size) {
            throw failed(fn + "(): " + algorithm + " needs a " + size + "-byte key, got " + key.length + " bytes");
        }
        return key;
    }

    private static KilnException invalid(String message) {
        return new KilnException(ErrorCode.INVALID_ARGUMENT, message);
    }

    private static KilnException failed(String message) {
        return new KilnException(ErrorCode.CRYPTO_FAILED, message);
    }
}
