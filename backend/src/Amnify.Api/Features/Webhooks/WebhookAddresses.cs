using System.Net;
using System.Net.Sockets;

namespace Amnify.Api.Features.Webhooks;

/// <summary>
/// Which addresses a webhook may be sent to: not loopback, link-local (cloud metadata services live there), private,
/// carrier-grade NAT, unspecified or multicast ones, unless <see cref="WebhookOptions.AllowPrivateNetworks"/>.
/// A name is judged by every address it resolves to, and the delivery connects only to an address judged here,
/// so a name that resolves differently at delivery time (DNS rebinding) gains nothing.
/// </summary>
public static class WebhookAddresses
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
        var b = address.GetAddressBytes();
        return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || (b[0] == 169 && b[1] == 254) || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && b[1] is >= 64 and <= 127) || b[0] >= 224);
    }

    /// <summary>The addresses of <paramref name="host"/> a delivery may use; none when it may use none (or the name does not resolve).</summary>
    public static async Task<IPAddress[]> Usable(string host, bool allowPrivate, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) addresses = [literal];
        else
        {
            // A name that takes longer than this to resolve is taken as not resolving.
            using var lookup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            lookup.CancelAfter(TimeSpan.FromSeconds(5));
            try { addresses = await Dns.GetHostAddressesAsync(host, lookup.Token); }
            catch (SocketException) { return []; }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { return []; }
        }
        // One private address refuses the name: which address a client picks is not ours to rely on.
        return allowPrivate || addresses.All(IsPublic) ? addresses : [];
    }
}
