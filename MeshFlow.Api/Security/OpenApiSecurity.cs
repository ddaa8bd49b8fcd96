using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MeshFlow.Api.Security;

/// <summary>Declares the API's two ways of presenting a key in the OpenAPI document, required by every operation.</summary>
public static class OpenApiSecurity
{
    /// <summary>Adds the <c>Bearer</c> and <c>ApiKey</c> (<c>X-API-Key</c>) schemes and requires one of them document-wide.</summary>
    public static OpenApiOptions AddApiKeySecurity(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "Authorization: Bearer <API key>",
            };
            document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyAuthenticationHandler.ApiKeyHeaderName,
                Description = "X-API-Key: <API key>",
            };
            document.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] },
            ];
            return Task.CompletedTask;
        });
    }
}
