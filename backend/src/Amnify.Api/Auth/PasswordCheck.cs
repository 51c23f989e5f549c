using Microsoft.AspNetCore.Identity;

namespace Amnify.Api.Auth;

/// <summary>ASP.NET Core Identity's PBKDF2 password hashing; nothing hand-rolled.</summary>
public sealed class PasswordCheck
{
    public const int MinLength = 12;
    private sealed class Account;
    private static readonly Account Anyone = new();
    private readonly PasswordHasher<Account> hasher = new();

    public string Hash(string password) => hasher.HashPassword(Anyone, password);

    public bool Verify(string? hash, string password) =>
        hash is not null && hasher.VerifyHashedPassword(Anyone, hash, password) != PasswordVerificationResult.Failed;
}
