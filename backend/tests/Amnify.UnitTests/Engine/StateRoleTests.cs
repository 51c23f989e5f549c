using System.Security.Cryptography;
using System.Text;
using Amnify.Api.Engine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Amnify.UnitTests.Engine;

public sealed class StateRoleTests
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static StateRole Role(string appConnection, string? stateConnection = null) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Amnify"] = appConnection,
            ["Secrets:Key"] = Key,
        }).Build(), Options.Create(new EngineOptions { StateConnectionString = stateConnection }), NullLogger<StateRole>.Instance);

    [Fact]
    public void Without_a_configured_state_connection_terraform_connects_as_the_derived_role_never_as_the_app()
    {
        var role = Role("Host=db.internal;Port=5432;Database=amnify;Username=amnify_app;Password=app-secret");

        role.Username.Should().Be("amnify_tfstate");
        role.Password.Should().Be(StateRole.DerivePassword(Key, "amnify")).And.HaveLength(43);
        role.TerraformConnection.Should().Contain("user='amnify_tfstate'").And.Contain($"password='{role.Password}'")
            .And.Contain("host='db.internal'").And.Contain("port=5432").And.Contain("dbname='amnify'")
            .And.NotContain("app-secret").And.NotContain("amnify_app");
    }

    [Fact]
    public void The_derived_password_is_the_same_for_every_process_and_differs_per_database_and_key()
    {
        StateRole.DerivePassword(Key, "amnify").Should().Be(StateRole.DerivePassword(Key, "amnify"));
        StateRole.DerivePassword(Key, "amnify").Should().NotBe(StateRole.DerivePassword(Key, "other"));
        StateRole.DerivePassword(Convert.ToBase64String(new byte[32]), "amnify").Should().NotBe(StateRole.DerivePassword(Key, "amnify"));
    }

    [Fact]
    public void A_configured_state_connection_is_used_as_given()
    {
        var role = Role("Host=db;Database=amnify;Username=app;Password=app-secret", "Host=state-db;Database=states;Username=tf;Password=tf-secret");

        role.Username.Should().Be("tf");
        role.Password.Should().Be("tf-secret");
        role.TerraformConnection.Should().Contain("host='state-db'").And.Contain("dbname='states'").And.NotContain("app-secret");
    }

    [Theory]
    [InlineData("Require", "sslmode=require")]
    [InlineData("VerifyCA", "sslmode=verify-ca")]
    [InlineData("VerifyFull", "sslmode=verify-full")]
    [InlineData("Prefer", "sslmode=disable")]
    [InlineData("Disable", "sslmode=disable")]
    public void Npgsql_tls_modes_map_to_lib_pq_ones(string npgsql, string libpq) =>
        Role($"Host=db;Database=amnify;Username=app;SSL Mode={npgsql}").TerraformConnection.Should().Contain(libpq);

    [Fact]
    public void A_root_certificate_is_passed_as_an_absolute_sslrootcert()
    {
        var role = Role("Host=db;Database=amnify;Username=app;SSL Mode=VerifyFull;Root Certificate=certs/ca.pem");

        role.RootCertificate.Should().Be(Path.GetFullPath("certs/ca.pem"));
        role.TerraformConnection.Should().Contain($"sslrootcert='{Path.GetFullPath("certs/ca.pem")}'");
    }

    [Fact]
    public void Quotes_and_backslashes_in_values_are_escaped_for_lib_pq()
    {
        var role = Role("Host=db;Database=amnify;Username=app", @"Host=db;Database=amnify;Username=tf;Password=it's\here");

        role.TerraformConnection.Should().Contain(@"password='it\'s\\here'");
    }

    [Fact]
    public void A_long_database_name_gives_a_role_name_postgresql_keeps_whole()
    {
        var name = StateRole.RoleName(new string('d', 60));

        Encoding.UTF8.GetByteCount(name).Should().BeLessThanOrEqualTo(63);
        name.Should().EndWith("_tfstate").And.NotBe(StateRole.RoleName(new string('d', 61)));
        StateRole.RoleName("Amnify").Should().Be("amnify_tfstate");
    }

    /// <summary>RFC 7677's example exchange: a server holding our verifier accepts the client's proof and proves itself.</summary>
    [Fact]
    public void The_scram_verifier_authenticates_the_rfc_7677_example_exchange()
    {
        var verifier = StateRole.ScramVerifier("pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        var parts = verifier.Split('$');
        parts[0].Should().Be("SCRAM-SHA-256");
        parts[1].Should().Be("4096:W22ZaJ0SNY7soEsUEjb6gQ==");
        var storedKey = Convert.FromBase64String(parts[2].Split(':')[0]);
        var serverKey = Convert.FromBase64String(parts[2].Split(':')[1]);
        var authMessage = Encoding.UTF8.GetBytes(
            "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
            + "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");

        var clientSignature = HMACSHA256.HashData(storedKey, authMessage);
        var clientProof = Convert.FromBase64String("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        var clientKey = clientProof.Zip(clientSignature, (a, b) => (byte)(a ^ b)).ToArray();
        SHA256.HashData(clientKey).Should().Equal(storedKey);
        Convert.ToBase64String(HMACSHA256.HashData(serverKey, authMessage)).Should().Be("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    [Fact]
    public void Terraform_gets_its_schema_and_is_told_not_to_create_schemas_or_tables()
    {
        var id = Guid.NewGuid();
        var environment = Role("Host=db;Database=amnify;Username=app").TerraformEnvironment(id);

        environment["PG_SCHEMA_NAME"].Should().Be($"tfstate_{id:N}");
        environment["PG_SKIP_SCHEMA_CREATION"].Should().Be("true");
        environment["PG_SKIP_TABLE_CREATION"].Should().Be("true");
        environment["PG_SKIP_INDEX_CREATION"].Should().Be("true");
    }
}
