using Microsoft.AspNetCore.Identity;

namespace Amnify.Api.Auth;

/// <summary>ASP.NET Core Identity's PBKDF2 password hashing; nothing hand-rolled.</summary>
public sealed class PasswordCheck
{
    public const int MinLength = 12;
    private sealed class Account;
    private static readonly Account Anyone = new();
    private readonly PasswordHasher<Account> hasher = new();

    // What an account without a hash is checked against: the check costs the same, so timing does not tell.
    private readonly string standIn;

    public PasswordCheck() => standIn = Hash(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

    public string Hash(string password) => hasher.HashPassword(Anyone, password);

    /// <summary>Always runs the full check, even with no <paramref name="hash"/> (an unknown account), which never matches.</summary>
    public bool Verify(string? hash, string password) =>
        hasher.VerifyHashedPassword(Anyone, hash ?? standIn, password) != PasswordVerificationResult.Failed && hash is not null;
}
