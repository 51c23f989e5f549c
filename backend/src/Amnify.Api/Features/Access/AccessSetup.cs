using Amnify.Api.Auth;
using Dapper;
using Npgsql;

namespace Amnify.Api.Features.Access;

public static class AccessSetup
{
    private const string BootstrapUser = "bootstrap@amnify.local";

    /// <summary>
    /// First start: an admin from AMNIFY_ADMIN_EMAIL / AMNIFY_ADMIN_PASSWORD when no such user exists, and an
    /// admin token with exactly the value of AMNIFY_BOOTSTRAP_ADMIN_TOKEN when no token has it (automation, tests).
    /// </summary>
    public static async Task BootstrapAccessAsync(this WebApplication app)
    {
        var config = app.Configuration;
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var stopping = app.Lifetime.ApplicationStopping;
        await using var connection = await dataSource.OpenConnectionAsync(stopping);
        if (config["AMNIFY_ADMIN_EMAIL"] is { Length: > 0 } email && config["AMNIFY_ADMIN_PASSWORD"] is { Length: > 0 } password)
        {
            var created = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO users (id, email, display_name, role, password_hash) VALUES (@Id, @Email, 'Administrator', 'admin', @Hash)
                ON CONFLICT DO NOTHING
                """, new { Id = Guid.CreateVersion7(), Email = email, Hash = app.Services.GetRequiredService<PasswordCheck>().Hash(password) }, cancellationToken: stopping));
            if (created > 0) app.Logger.LogInformation("Created the first admin, {Email}", email);
        }
        if (config["AMNIFY_BOOTSTRAP_ADMIN_TOKEN"] is { Length: > 0 } token)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO users (id, email, display_name, role) VALUES (@Id, @Email, 'Bootstrap token', 'admin') ON CONFLICT DO NOTHING;
                INSERT INTO api_tokens (id, name, kind, user_id, token_hash, prefix)
                SELECT @TokenId, 'bootstrap', 'personal', u.id, @Hash, @Prefix FROM users u WHERE lower(u.email) = @Email
                ON CONFLICT (token_hash) DO NOTHING;
                """, new { Id = Guid.CreateVersion7(), TokenId = Guid.CreateVersion7(), Email = BootstrapUser, Hash = Tokens.Hash(token), Prefix = token[..Math.Min(10, token.Length)] }, cancellationToken: stopping));
        }
    }
}
