namespace Wschat.Hub.Storage;

internal static class StorageServiceCollectionExtensions
{
    /// <summary>The node's data directory, where the concerns that keep files on a single node keep them (the word list, the uid mark).</summary>
    public static IServiceCollection AddWschatStorage(this IServiceCollection services, IConfiguration configuration) =>
        services.AddValidatedOptions<DataDirectoryOptions>(configuration, DataDirectoryOptions.SectionName);
}
