using Amnify.Api.Features.Access;

namespace Amnify.Api.Tests.Features.Access;

[Collection(nameof(AccessCollection))]
public sealed class AccessSetupTests(ApiFactory factory) : AccessTestBase(factory)
{
    [Fact]
    public async Task The_first_admin_comes_from_the_environment_and_can_sign_in()
    {
        var email = $"first-{Guid.NewGuid():N}@example.test";
        var factory = api.WithWebHostBuilder(b =>
        {
            b.UseSetting("AMNIFY_ADMIN_EMAIL", email);
            b.UseSetting("AMNIFY_ADMIN_PASSWORD", "first-admin-password");
        });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = null;

        var me = await (await client.PostJson("/api/v1/auth/login", new { email, password = "first-admin-password" })).Read<Me>();

        me.Role.Should().Be(Amnify.Api.Auth.Role.Admin);
    }
}
