using System.Security.Claims;

namespace Amnify.Api.Auth;

/// <summary>
/// Who is calling, as recorded on runs and approvals: the name people read, and the user id that rules such as
/// four-eyes compare (names can look alike; ids cannot). A CI token's user id is its owner's.
/// </summary>
public sealed record Actor(string Name, Guid? UserId)
{
    public static Actor From(HttpContext context) => new(
        context.User.Identity?.Name is { Length: > 0 } name ? name : "anonymous",
        Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null);
}
