using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MeshFlow.Ledger;

/// <summary>
/// SHA-256 for the ledger's many small inputs (record headers and payloads of a few hundred bytes).
/// </summary>
/// <remarks>
/// <para><see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> goes through OpenSSL's EVP layer on Linux,
/// which creates and frees a digest context per call: for a 500-byte header that is about half of the 0.7 µs the
/// call takes. Where the process can load OpenSSL's libcrypto (3.x or 1.1), small inputs are hashed through its
/// <c>SHA256_Init/Update/Final</c> with the context on the stack: the same compression function (SHA-NI where the
/// CPU has it), at about half the cost. The native path is used only after it has reproduced the managed answer
/// for known inputs at start-up; anything else (Windows, macOS, no libcrypto, large inputs) uses the managed
/// API.</para>
/// <para>Verification hashes two of these per record, so this is most of what bounds records verified a
/// second.</para>
/// </remarks>
internal static unsafe class Sha256
{
    public const int HashSize = SHA256.HashSizeInBytes;

    // Inputs up to this size are hashed without a GC transition (well under a microsecond); larger ones take the
    // managed path, whose per-call overhead no longer matters.
    private const int NativeLimit = 16 * 1024;

    // OpenSSL's SHA256_CTX is 112 bytes; the stack buffer leaves room to spare.
    private const int ContextSize = 256;

    private static readonly delegate* unmanaged[SuppressGCTransition]<void*, int> Init;
    private static readonly delegate* unmanaged[SuppressGCTransition]<void*, byte*, nuint, int> Update;
    private static readonly delegate* unmanaged[SuppressGCTransition]<byte*, void*, int> Final;

    /// <summary>Whether small inputs are hashed by libcrypto's low-level functions (else by the managed API).</summary>
    public static bool IsNative { get; }

    static Sha256()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        foreach (var name in (string[])["libcrypto.so.3", "libcrypto.so.1.1"])
        {
            if (!NativeLibrary.TryLoad(name, out var library))
            {
                continue;
            }

            if (NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
                && NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
                && NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
            {
                Init = (delegate* unmanaged[SuppressGCTransition]<void*, int>)init;
                Update = (delegate* unmanaged[SuppressGCTransition]<void*, byte*, nuint, int>)update;
                Final = (delegate* unmanaged[SuppressGCTransition]<byte*, void*, int>)final;
                IsNative = AgreesWithManaged();
                if (IsNative)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Hashes <paramref name="data"/> into <paramref name="hash"/> (32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> hash)
    {
        if (hash.Length < HashSize)
        {
            throw new ArgumentException("the destination is shorter than a SHA-256 hash", nameof(hash));
        }

        if (!IsNative || data.Length > NativeLimit || !HashNative(data, hash))
        {
            SHA256.HashData(data, hash);
        }
    }

    [System.Runtime.CompilerServices.SkipLocalsInit] // SHA256_Init initialises the context.
    private static bool HashNative(ReadOnlySpan<byte> data, Span<byte> hash)
    {
        var context = stackalloc ulong[ContextSize / sizeof(ulong)];
        fixed (byte* input = data)
        fixed (byte* output = hash)
        {
            return Init(context) == 1 && Update(context, input, (nuint)data.Length) == 1 && Final(output, context) == 1;
        }
    }

    private static bool AgreesWithManaged()
    {
        Span<byte> native = stackalloc byte[HashSize];
        foreach (var length in (int[])[0, 3, 55, 56, 64, 119, 535, 4096])
        {
            var input = new byte[length];
            for (var i = 0; i < length; i++)
            {
                input[i] = (byte)(i * 31 + length);
            }

            if (!HashNative(input, native) || !native.SequenceEqual(SHA256.HashData(input)))
            {
                return false;
            }
        }

        return true;
    }
}
