# Wschat Hub in a container: docker build -t wschat . && docker run -p 3000:3000 wschat
# Cluster: add -e Wschat__Redis=redis:6379 on each node.

# Build and publish with the SDK; only the published app goes on.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Wschat.Hub/Wschat.Hub.csproj -c Release -o /app -p:DebugType=none

# Run on the ASP.NET Core runtime image, as its non-root "app" user.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl only for the health check below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/wschat && chown app:app /var/lib/wschat
WORKDIR /app
COPY --from=build /app .
USER app
# The image sets ASPNETCORE_HTTP_PORTS=8080; the server's legacy default is 3000: say which wins.
ENV ASPNETCORE_HTTP_PORTS= \
    ASPNETCORE_URLS=http://+:3000 \
    Wschat__DataDirectory=/var/lib/wschat
VOLUME /var/lib/wschat
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD curl --fail --silent http://localhost:3000/healthz || exit 1
ENTRYPOINT ["dotnet", "Wschat.Hub.dll"]
