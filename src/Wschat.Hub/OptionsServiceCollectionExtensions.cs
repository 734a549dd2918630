namespace Wschat.Hub;

internal static class OptionsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to a configuration section and checks its data
    /// annotations (and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>) when
    /// the host starts, so a bad value stops the server with a message naming the key instead of
    /// failing later, on first use.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(sectionName)).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
