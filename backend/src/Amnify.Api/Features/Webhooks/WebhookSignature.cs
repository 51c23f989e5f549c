using System.Security.Cryptography;
using System.Text;

namespace Amnify.Api.Features.Webhooks;

/// <summary>
/// Standard Webhooks signing (standardwebhooks.com): the secret is <c>whsec_</c> and base64 key bytes; a message is
/// signed as HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c> and sent as <c>webhook-signature: v1,&lt;base64&gt;</c>.
/// </summary>
public static class WebhookSignature
{
    private const string Prefix = "whsec_";

    public static string NewSecret() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret[Prefix.Length..]);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return $"v1,{Convert.ToBase64String(mac)}";
    }
}
