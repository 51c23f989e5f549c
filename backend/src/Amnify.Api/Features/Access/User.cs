using Amnify.Api.Auth;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Amnify.Api.Features.Access;

/// <summary>A person who signs in to the SPA; the password hash never leaves the server.</summary>
public sealed record User
{
    public required Guid Id { get; init; }
    public required string Email { get; init; }
    public required string DisplayName { get; init; }
    public required Role Role { get; init; }
    public required bool Disabled { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    internal const string Columns = "id, email, display_name, role, disabled, created_at";

    internal static Task<User?> Load(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition($"SELECT {Columns} FROM users WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
}

internal static class UserRules
{
    public static IRuleBuilderOptions<T, string?> Password<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(p => p is null || p.Length is >= PasswordCheck.MinLength and <= 200)
            .WithMessage($"The password must be {PasswordCheck.MinLength} to 200 characters.");
}
