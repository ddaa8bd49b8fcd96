namespace MeshFlow.Dashboard.Components.SignIn;

/// <summary>What the sign-in form posts.</summary>
public sealed class SignInForm
{
    public string? ApiKey { get; set; }
}
