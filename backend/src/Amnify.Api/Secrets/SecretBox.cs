using System.Security.Cryptography;
using System.Text;

namespace Amnify.Api.Secrets;

/// <summary>
/// Encrypts secrets at rest with AES-256-GCM under the key in <c>Secrets:Key</c> (base64, 32 bytes).
/// Each ciphertext is bound to the row it belongs to (associated data), so it cannot be copied to another row.
/// Layout: version (1 byte) | nonce (12) | tag (16) | ciphertext.
/// </summary>
public sealed class SecretBox
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] key;

    public SecretBox(IConfiguration configuration)
    {
        var configured = configuration["Secrets:Key"];
        if (string.IsNullOrWhiteSpace(configured))
            throw new InvalidOperationException(
                "No encryption key configured: set Secrets__Key to 32 random bytes in base64 (openssl rand -base64 32).");
        try
        {
            key = Convert.FromBase64String(configured);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Secrets__Key is not valid base64.");
        }
        if (key.Length != 32) throw new InvalidOperationException("Secrets__Key must decode to exactly 32 bytes.");
    }

    public byte[] Seal(string plaintext, Guid owner) => Seal(Encoding.UTF8.GetBytes(plaintext), owner);

    public string Open(byte[] sealedBytes, Guid owner) => Encoding.UTF8.GetString(OpenBytes(sealedBytes, owner));

    public byte[] Seal(byte[] plain, Guid owner)
    {
        var sealedBytes = new byte[1 + NonceSize + TagSize + plain.Length];
        sealedBytes[0] = Version;
        var nonce = sealedBytes.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(1 + NonceSize + TagSize), sealedBytes.AsSpan(1 + NonceSize, TagSize), owner.ToByteArray());
        return sealedBytes;
    }

    public byte[] OpenBytes(byte[] sealedBytes, Guid owner)
    {
        if (sealedBytes.Length < 1 + NonceSize + TagSize || sealedBytes[0] != Version)
            throw new CryptographicException("Unknown secret format.");
        var plain = new byte[sealedBytes.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(1, NonceSize), sealedBytes.AsSpan(1 + NonceSize + TagSize),
            sealedBytes.AsSpan(1 + NonceSize, TagSize), plain, owner.ToByteArray());
        return plain;
    }
}

public static class SecretsSetup
{
    public static WebApplicationBuilder AddSecrets(this WebApplicationBuilder builder)
    {
        // Built now so a missing or malformed key stops start-up with its message, not the first request.
        builder.Services.AddSingleton(new SecretBox(builder.Configuration));
        return builder;
    }
}
