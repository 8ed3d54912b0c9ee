// A Microsoft Entra administrator of a PostgreSQL flexible server. A module because the
// administrator's name is its object id, which is known only once its identity exists.
targetScope = 'resourceGroup'

@description('The flexible server.')
param serverName string

@description('The object (principal) id of the managed identity.')
param principalId string

@description('The managed identity\'s name: its database role.')
param principalName string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' existing = {
  name: serverName
}

resource administrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: server
  name: principalId
  properties: {
    principalType: 'ServicePrincipal'
    principalName: principalName
    tenantId: subscription().tenantId
  }
}
