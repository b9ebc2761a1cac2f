package dev.eqd2sum.cli;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * SHA-256 by OpenSSL's {@code libcrypto} (EVP digest API, OpenSSL 1.1 and 3), called through the Foreign
 * Function and Memory API. Available only on Linux, when the library is found and this code may call
 * native functions ({@code --enable-native-access}, which the launcher and the build give): otherwise
 * nothing is linked, nothing is printed, and {@link Sha256} falls back to the JDK. The byte arrays are
 * passed to OpenSSL in place (critical downcalls: no copy to native memory).
 */
final class OpenSslSha256 extends Sha256 {
    private static final String[] LIBRARIES = {"libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so"};

    /** The linked functions, or the reason there are none. Linked on first use, by whichever thread asks. */
    private static final class Functions {
        static final Functions LINKED = link();

        final String library;
        final String unavailable;
        final MethodHandle newContext;
        final MethodHandle freeContext;
        final MethodHandle init;
        final MethodHandle update;
        final MethodHandle fin;
        final MemorySegment sha256;

        private Functions(String library, String unavailable, MethodHandle newContext, MethodHandle freeContext,
                          MethodHandle init, MethodHandle update, MethodHandle fin, MemorySegment sha256) {
            this.library = library;
            this.unavailable = unavailable;
            this.newContext = newContext;
            this.freeContext = freeContext;
            this.init = init;
            this.update = update;
            this.fin = fin;
            this.sha256 = sha256;
        }

        private static Functions none(String why) {
            return new Functions(null, why, null, null, null, null, null, null);
        }

        private static Functions link() {
            if ("1".equals(System.getProperty("eqd2sum.sha256.jdk"))) {
                return none("switched off (eqd2sum.sha256.jdk=1)");
            }
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                return none("not Linux");
            }
            if (!OpenSslSha256.class.getModule().isNativeAccessEnabled()) {
                return none("native access not enabled (--enable-native-access)");
            }
            if (ValueLayout.ADDRESS.byteSize() != 8
                    || Linker.nativeLinker().canonicalLayouts().get("size_t").byteSize() != 8) {
                return none("not a 64-bit platform (size_t is passed as a long)");
            }
            for (String name : LIBRARIES) {
                SymbolLookup lib;
                try {
                    lib = SymbolLookup.libraryLookup(name, Arena.global());
                } catch (IllegalArgumentException notFound) {
                    continue;
                }
                try {
                    Linker linker = Linker.nativeLinker();
                    MemorySegment md = (MemorySegment) linker.downcallHandle(find(lib, "EVP_sha256"),
                            FunctionDescriptor.of(ValueLayout.ADDRESS)).invokeExact();
                    if (md.equals(MemorySegment.NULL)) {
                        return none(name + " has no SHA-256");
                    }
                    Functions f = new Functions(name, null,
                            linker.downcallHandle(find(lib, "EVP_MD_CTX_new"), FunctionDescriptor.of(ValueLayout.ADDRESS)),
                            linker.downcallHandle(find(lib, "EVP_MD_CTX_free"), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS)),
                            linker.downcallHandle(find(lib, "EVP_DigestInit_ex"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS)),
                            linker.downcallHandle(find(lib, "EVP_DigestUpdate"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                                    Linker.Option.critical(true)),
                            linker.downcallHandle(find(lib, "EVP_DigestFinal_ex"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS)),
                            md);
                    // A library can link and still not digest (an OpenSSL 3 configuration without the default
                    // provider fails EVP_DigestInit_ex): a known answer decides before any input depends on it.
                    String abc = selfTest(f);
                    return KNOWN_ABC.equals(abc) ? f : none(name + " failed its self-test (" + abc + ")");
                } catch (Throwable e) { // a missing symbol, a refused link: the JDK digest will do
                    return none(name + ": " + e);
                }
            }
            return none("libcrypto not found");
        }

        private static final String KNOWN_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

        /** The SHA-256 of "abc" by these functions, or what went wrong. */
        private static String selfTest(Functions f) {
            try {
                OpenSslSha256 sha = OpenSslSha256.start(f);
                try {
                    sha.update(new byte[] {'a', 'b', 'c'}, 0, 3);
                    return sha.hex();
                } finally {
                    sha.discard();
                }
            } catch (RuntimeException | Error e) {
                return e.getMessage();
            }
        }

        private static MemorySegment find(SymbolLookup lib, String symbol) {
            Optional<MemorySegment> s = lib.find(symbol);
            return s.orElseThrow(() -> new IllegalStateException("no symbol " + symbol));
        }
    }

    private static final int DIGEST_BYTES = 32;

    private final Functions f;
    private MemorySegment context;

    private OpenSslSha256(Functions f, MemorySegment context) {
        this.f = f;
        this.context = context;
    }

    static boolean available() {
        return Functions.LINKED.unavailable == null;
    }

    /** The library in use, or why none is. */
    static String description() {
        Functions f = Functions.LINKED;
        return f.unavailable == null ? "OpenSSL " + f.library : "JDK MessageDigest (OpenSSL: " + f.unavailable + ")";
    }

    /** A new digest; only when {@link #available()}. */
    static OpenSslSha256 start() {
        return start(Functions.LINKED);
    }

    private static OpenSslSha256 start(Functions f) {
        try {
            MemorySegment ctx = (MemorySegment) f.newContext.invokeExact();
            if (ctx.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("OpenSSL could not allocate a digest context");
            }
            OpenSslSha256 sha = new OpenSslSha256(f, ctx);
            sha.check((int) f.init.invokeExact(ctx, f.sha256, MemorySegment.NULL), "EVP_DigestInit_ex");
            return sha;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    void update(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return;
        }
        MemorySegment ctx = open();
        try {
            check((int) f.update.invokeExact(ctx, MemorySegment.ofArray(bytes).asSlice(offset, length), (long) length),
                    "EVP_DigestUpdate");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    String hex() {
        MemorySegment ctx = open();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(DIGEST_BYTES);
            check((int) f.fin.invokeExact(ctx, out, MemorySegment.NULL), "EVP_DigestFinal_ex");
            return HexFormat.of().formatHex(out.toArray(ValueLayout.JAVA_BYTE));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        } finally {
            discard();
        }
    }

    @Override
    void discard() {
        if (context != null) {
            MemorySegment ctx = context;
            context = null;
            try {
                f.freeContext.invokeExact(ctx);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private MemorySegment open() {
        if (context == null) {
            throw new IllegalStateException("the digest has ended");
        }
        return context;
    }

    private void check(int status, String function) {
        if (status != 1) {
            discard();
            throw new IllegalStateException("OpenSSL " + function + " failed");
        }
    }
}
