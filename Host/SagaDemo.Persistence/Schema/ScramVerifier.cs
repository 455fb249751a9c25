using System.Security.Cryptography;
using System.Text;

namespace SagaDemo.Persistence.Schema;

/// <summary>
/// PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5802 / RFC 7677, PostgreSQL's
/// <c>SCRAM-SHA-256$&lt;iterations&gt;:&lt;salt&gt;$&lt;StoredKey&gt;:&lt;ServerKey&gt;</c>), computed here the way psql's
/// <c>\password</c> does, so a password set by the migrate command never travels or gets logged in plain text.
/// </summary>
public static class ScramVerifier
{
    const int Iterations = 4096;

    /// <summary>
    /// Only printable ASCII: PostgreSQL runs other passwords through SASLprep before hashing, which is not repeated
    /// here; refusing them keeps the verifier exact.
    /// </summary>
    public static string Create(string password)
    {
        if (string.IsNullOrEmpty(password) || password.Any(c => c is < '!' or > '~'))
            throw new ArgumentException("A password migrate sets must be printable ASCII without spaces.", nameof(password));
        var salt = RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
