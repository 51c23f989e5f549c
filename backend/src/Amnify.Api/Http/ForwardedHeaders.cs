using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Amnify.Api.Http;

/// <summary>
/// Behind a TLS proxy: X-Forwarded-For/-Proto/-Host are believed only from the proxies and networks named in
/// <c>ForwardedHeaders:KnownProxies</c> / <c>ForwardedHeaders:KnownNetworks</c> (none by default, not even
/// loopback), so anyone else cannot pose as HTTPS or as another client address. Once believed, the request is
/// HTTPS to the app: the session cookie is Secure, HSTS is sent, and rate limits key on the real client.
/// </summary>
public static class ForwardedHeaders
{
    public static IServiceCollection AddForwardedHeaders(this IServiceCollection services, IConfiguration section)
    {
        var proxies = List(section, "KnownProxies");
        var networks = List(section, "KnownNetworks");
        var parsedProxies = proxies.Select(p => IPAddress.TryParse(p, out var a)
            ? a : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{p}' is not an IP address.")).ToArray();
        var parsedNetworks = networks.Select(n => System.Net.IPNetwork.TryParse(n, out var net)
            ? net : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{n}' is not a network such as 10.0.0.0/8.")).ToArray();
        return services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor
                | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto
                | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedHost;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in parsedProxies) o.KnownProxies.Add(proxy);
            foreach (var network in parsedNetworks) o.KnownIPNetworks.Add(network);
            // One proxy in front: the right-most forwarded value is the one it vouches for.
            o.ForwardLimit = section.GetValue<int?>("ForwardLimit") ?? 1;
        });
    }

    /// <summary>A list as configuration items (<c>KnownProxies__0</c>) or as one comma-separated value, handier in an environment.</summary>
    private static string[] List(IConfiguration section, string key) =>
        section[key] is { Length: > 0 } joined
            ? joined.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetSection(key).Get<string[]>() ?? [];

    public static WebApplication UseForwardedHeadersFromKnownProxies(this WebApplication app)
    {
        app.UseForwardedHeaders();
        return app;
    }
}
