using System.Net;
using Amnify.Api.Features.Webhooks;

namespace Amnify.UnitTests.Webhooks;

public sealed class WebhookAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Loopback_link_local_private_and_special_addresses_are_not_public(string address)
    {
        WebhookAddresses.IsPublic(IPAddress.Parse(address)).Should().BeFalse();
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    public void Other_addresses_are_public(string address)
    {
        WebhookAddresses.IsPublic(IPAddress.Parse(address)).Should().BeTrue();
    }

    [Fact]
    public async Task A_name_with_one_private_address_is_refused_unless_private_networks_are_allowed()
    {
        (await WebhookAddresses.Usable("localhost", allowPrivate: false, CancellationToken.None)).Should().BeEmpty();
        (await WebhookAddresses.Usable("localhost", allowPrivate: true, CancellationToken.None)).Should().NotBeEmpty();
        (await WebhookAddresses.Usable("[::1]", allowPrivate: false, CancellationToken.None)).Should().BeEmpty();
    }
}
