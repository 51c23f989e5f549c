namespace Amnify.Api.Auth;

public enum Role
{
    Viewer = 1,
    Operator,
    Approver,
    Admin,
}

/// <summary>The policies endpoints require; each role includes the ones below it.</summary>
public static class Policies
{
    public const string Read = "read";
    public const string Operate = "operate";
    public const string Approve = "approve";
    public const string Admin = "admin";

    public static Role Minimum(string policy) => policy switch
    {
        Read => Role.Viewer,
        Operate => Role.Operator,
        Approve => Role.Approver,
        _ => Role.Admin,
    };

    public static string Code(this Role role) => role.ToString().ToLowerInvariant();
}
