using System.Net;
using Amnify.Api.Features.Access;

namespace Amnify.Api.Tests.Features.Access;

[Collection(nameof(AccessCollection))]
public sealed class UpdateUserTests(ApiFactory factory) : AccessTestBase(factory)
{
    [Fact]
    public async Task The_last_admin_who_can_sign_in_cannot_be_demoted_or_disabled()
    {
        await using var lone = new ApiFactory();
        await lone.InitializeAsync();
        var admin = lone.CreateClient();
        var created = await (await admin.PostJson("/api/v1/users", new { email = "only@example.test", displayName = "Only", role = "admin", password = "only-admin-password" })).Read<User>();

        var demote = await admin.PatchJson($"/api/v1/users/{created.Id}", new { role = "viewer" });
        demote.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await admin.PatchJson($"/api/v1/users/{created.Id}", new { disabled = true })).StatusCode.Should().Be(HttpStatusCode.Conflict);

        await admin.PostJson("/api/v1/users", new { email = "second@example.test", displayName = "Second", role = "admin", password = "second-admin-password" });
        (await admin.PatchJson($"/api/v1/users/{created.Id}", new { role = "viewer" })).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
