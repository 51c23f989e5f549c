using System.Security.Cryptography;
using System.Text;

namespace Amnify.Api.Auth;

/// <summary>Random bearer secrets and their stored form: only a SHA-256 hash ever reaches the database.</summary>
public static class Tokens
{
    public const string ApiPrefix = "amn_";

    public static string NewApiToken() => ApiPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewSessionToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
