using System.Security.Cryptography;
using Amnify.Api.Secrets;
using Microsoft.Extensions.Configuration;

namespace Amnify.UnitTests.Secrets;

public sealed class SecretBoxTests
{
    private static SecretBox Box(string? key) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Secrets:Key"] = key }).Build());

    private readonly SecretBox box = Box(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    [Fact]
    public void A_sealed_secret_opens_for_its_owner_and_hides_the_plaintext()
    {
        var owner = Guid.CreateVersion7();
        var sealedBytes = box.Seal("hunter2-hunter2", owner);

        System.Text.Encoding.UTF8.GetString(sealedBytes).Should().NotContain("hunter2");
        box.Open(sealedBytes, owner).Should().Be("hunter2-hunter2");
    }

    [Fact]
    public void A_secret_copied_to_another_row_does_not_open()
    {
        var sealedBytes = box.Seal("value", Guid.CreateVersion7());

        box.Invoking(b => b.Open(sealedBytes, Guid.CreateVersion7())).Should().Throw<CryptographicException>();
    }

    [Fact]
    public void Sealing_twice_gives_different_bytes()
    {
        var owner = Guid.CreateVersion7();
        box.Seal("same", owner).Should().NotEqual(box.Seal("same", owner));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-base64!")]
    [InlineData("c2hvcnQ=")]
    public void A_missing_or_bad_key_stops_start_up_with_a_clear_message(string? key)
    {
        FluentActions.Invoking(() => Box(key)).Should().Throw<InvalidOperationException>().WithMessage("*Secrets__Key*");
    }
}
