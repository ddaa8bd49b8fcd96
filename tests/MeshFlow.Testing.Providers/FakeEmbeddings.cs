using System.Security.Cryptography;
using System.Text;

namespace MeshFlow.Testing.Providers;

/// <summary>
/// The vectors the fake providers answer with: deterministic from the text (the same text always gets the same
/// vector, different texts different ones), unit length, so a test can compute what a provider must have returned.
/// </summary>
public static class FakeEmbeddings
{
    /// <summary>The vector of <paramref name="text"/> with <paramref name="dimensions"/> dimensions.</summary>
    public static float[] Vector(string text, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var state = BitConverter.ToUInt64(seed, 0) | 1;
        var vector = new float[dimensions];
        var sum = 0.0;
        for (var i = 0; i < dimensions; i++)
        {
            // xorshift64*: a fixed sequence per seed.
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            var next = state * 2685821657736338717UL;
            vector[i] = (float)((next >> 11) * (1.0 / (1UL << 53)) * 2 - 1);
            sum += vector[i] * (double)vector[i];
        }

        var norm = (float)Math.Sqrt(sum);
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    /// <summary>A vector as OpenAI sends it for <c>"encoding_format": "base64"</c>: little-endian float32, base64.</summary>
    public static string Base64(float[] vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        if (!BitConverter.IsLittleEndian)
        {
            for (var i = 0; i < bytes.Length; i += sizeof(float))
            {
                bytes.AsSpan(i, sizeof(float)).Reverse();
            }
        }

        return Convert.ToBase64String(bytes);
    }
}
