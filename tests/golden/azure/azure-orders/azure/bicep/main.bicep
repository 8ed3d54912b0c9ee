metadata description = 'Storefront and orders API on Container Apps, PostgreSQL, Service Bus and a Function'
targetScope = 'resourceGroup'

@description('Azure region of every resource.')
param location string = 'westeurope'

@description('Appended to globally unique names (storage, Key Vault, registry, Cosmos DB, Cognitive Services, Function App).')
@minLength(13)
@maxLength(13)
param nameSuffix string = uniqueString(resourceGroup().id)

@description('Bind the custom domains with their managed certificates: true once each host is on its app (a first deployment) and its records resolve.')
param bindCustomDomains bool = false

var tags = {
  blueprint: 'azure-orders'
}

resource log 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-azure-orders'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 90
    features: {
      disableLocalAuth: true
    }
  }
}

resource id_storefront 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-storefront'
  location: location
  tags: tags
}

resource id_api 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-api'
  location: location
  tags: tags
}

@description('Fulfils each order the API queues')
resource id_fulfil 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-fulfil'
  location: location
  tags: tags
}

@description('Reports yesterday\'s orders')
resource id_nightly_report 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-nightly-report'
  location: location
  tags: tags
}

@description('Mails a receipt for each fulfilled order')
resource id_receipts_fn 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-receipts-fn'
  location: location
  tags: tags
}

resource nsg_apps 'Microsoft.Network/networkSecurityGroups@2024-01-01' = {
  name: 'nsg-apps'
  location: location
  tags: tags
  properties: {
    securityRules: [
      {
        name: 'allow-https-1'
        properties: {
          description: 'HTTPS to the public Container Apps environment'
          priority: 101
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'Internet'
          sourcePortRange: '*'
          destinationAddressPrefix: 'VirtualNetwork'
          destinationPortRange: '443'
        }
      }
    ]
  }
}

resource nsg_functions 'Microsoft.Network/networkSecurityGroups@2024-01-01' = {
  name: 'nsg-functions'
  location: location
  tags: tags
  properties: {
    securityRules: []
  }
}

resource nsg_data 'Microsoft.Network/networkSecurityGroups@2024-01-01' = {
  name: 'nsg-data'
  location: location
  tags: tags
  properties: {
    securityRules: []
  }
}

resource nsg_database 'Microsoft.Network/networkSecurityGroups@2024-01-01' = {
  name: 'nsg-database'
  location: location
  tags: tags
  properties: {
    securityRules: []
  }
}

resource vnet_orders 'Microsoft.Network/virtualNetworks@2024-01-01' = {
  name: 'vnet-orders'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.20.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'apps'
        properties: {
          addressPrefix: '10.20.0.0/23'
          networkSecurityGroup: {
            id: nsg_apps.id
          }
          privateEndpointNetworkPolicies: 'Enabled'
          delegations: [
            {
              name: 'Microsoft.App.environments'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'functions'
        properties: {
          addressPrefix: '10.20.2.0/27'
          networkSecurityGroup: {
            id: nsg_functions.id
          }
          privateEndpointNetworkPolicies: 'Enabled'
          delegations: [
            {
              name: 'Microsoft.App.environments'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'data'
        properties: {
          addressPrefix: '10.20.3.0/24'
          networkSecurityGroup: {
            id: nsg_data.id
          }
          privateEndpointNetworkPolicies: 'Enabled'
        }
      }
      {
        name: 'database'
        properties: {
          addressPrefix: '10.20.4.0/24'
          networkSecurityGroup: {
            id: nsg_database.id
          }
          privateEndpointNetworkPolicies: 'Enabled'
          delegations: [
            {
              name: 'Microsoft.DBforPostgreSQL.flexibleServers'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }
}

resource snet_apps 'Microsoft.Network/virtualNetworks/subnets@2024-01-01' existing = {
  parent: vnet_orders
  name: 'apps'
}

resource snet_functions 'Microsoft.Network/virtualNetworks/subnets@2024-01-01' existing = {
  parent: vnet_orders
  name: 'functions'
}

resource snet_data 'Microsoft.Network/virtualNetworks/subnets@2024-01-01' existing = {
  parent: vnet_orders
  name: 'data'
}

resource snet_database 'Microsoft.Network/virtualNetworks/subnets@2024-01-01' existing = {
  parent: vnet_orders
  name: 'database'
}

resource dns_azure_orders_private_postgres_database_azure_com 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: 'azure-orders.private.postgres.database.azure.com'
  location: 'global'
  tags: tags
}

resource dns_azure_orders_private_postgres_database_azure_com_vnet_orders 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: dns_azure_orders_private_postgres_database_azure_com
  name: 'vnet-orders'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet_orders.id
    }
  }
}

resource dns_privatelink_blob_core_windows_net 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: 'privatelink.blob.core.windows.net'
  location: 'global'
  tags: tags
}

resource dns_privatelink_blob_core_windows_net_vnet_orders 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: dns_privatelink_blob_core_windows_net
  name: 'vnet-orders'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet_orders.id
    }
  }
}

resource dns_privatelink_queue_core_windows_net 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: 'privatelink.queue.core.windows.net'
  location: 'global'
  tags: tags
}

resource dns_privatelink_queue_core_windows_net_vnet_orders 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: dns_privatelink_queue_core_windows_net
  name: 'vnet-orders'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet_orders.id
    }
  }
}

resource dns_privatelink_vaultcore_azure_net 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: 'privatelink.vaultcore.azure.net'
  location: 'global'
  tags: tags
}

resource dns_privatelink_vaultcore_azure_net_vnet_orders 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: dns_privatelink_vaultcore_azure_net
  name: 'vnet-orders'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet_orders.id
    }
  }
}

resource cr_acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  // checkov:skip=CKV_AZURE_166: quarantine holds every pushed image until an external scanner releases it, and no scanner is declared for acr
  // checkov:skip=CKV_AZURE_139: the blueprint places registry 'acr' in no subnet, so it keeps its public endpoint; data access still needs Entra ID and RBAC (local auth is off)
  name: concat('cracr', nameSuffix)
  location: location
  tags: tags
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    dataEndpointEnabled: true
    publicNetworkAccess: 'Enabled'
    networkRuleBypassOptions: 'AzureServices'
    zoneRedundancy: 'Enabled'
    policies: {
      retentionPolicy: {
        status: 'enabled'
        days: 7
      }
    }
  }
}

resource kv_vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: concat('kvvault', nameSuffix)
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Disabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
      ipRules: []
      virtualNetworkRules: []
    }
  }
}

@description('Storage for blob containers and queues')
resource st_data 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  // checkov:skip=CKV_AZURE_43: the name is concat() of a lowercase alphanumeric prefix of at most 11 characters and uniqueString() (13), which checkov cannot evaluate
  name: concat('stazureorde', nameSuffix)
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_GZRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Disabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
      ipRules: []
      virtualNetworkRules: []
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: {
          enabled: true
          keyType: 'Account'
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource st_data_queues 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: st_data
  name: 'default'
}

@description('receipts to send')
resource queue_receipts 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: st_data_queues
  name: 'receipts'
}

@description('Storage for the Functions host and deployment packages of receipts-fn')
resource st_receipts_fn_host 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  // checkov:skip=CKV_AZURE_43: the name is concat() of a lowercase alphanumeric prefix of at most 11 characters and uniqueString() (13), which checkov cannot evaluate
  name: concat('sfreceiptsf', nameSuffix)
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_GZRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Disabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
      ipRules: []
      virtualNetworkRules: []
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: {
          enabled: true
          keyType: 'Account'
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource st_receipts_fn_host_blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: st_receipts_fn_host
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource blob_receipts_fn_deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: st_receipts_fn_host_blobs
  name: 'deployments'
  properties: {
    publicAccess: 'None'
  }
}

@description('Service Bus: the queues Container Apps jobs consume, and the topics')
resource sb_messaging 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: concat('sb-azure-orders-', nameSuffix)
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

@description('orders waiting to be fulfilled')
resource sbq_orders 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: sb_messaging
  name: 'orders'
  properties: {
    maxDeliveryCount: 5
    deadLetteringOnMessageExpiration: true
    lockDuration: 'PT1M'
  }
}

resource psql_db 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: concat('psql-db-', nameSuffix)
  location: location
  tags: tags
  sku: {
    name: 'Standard_D2ds_v5'
    tier: 'GeneralPurpose'
  }
  properties: {
    version: '16'
    storage: {
      storageSizeGB: 64
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: subscription().tenantId
    }
    network: {
      delegatedSubnetResourceId: snet_database.id
      privateDnsZoneArmResourceId: dns_azure_orders_private_postgres_database_azure_com.id
      publicNetworkAccess: 'Disabled'
    }
  }
  dependsOn: [
    dns_azure_orders_private_postgres_database_azure_com_vnet_orders
  ]
}

resource psql_db_db 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: psql_db
  name: 'db'
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// api writes db: a Microsoft Entra administrator of the server
module psql_db_admin_api 'modules/postgres-administrator.bicep' = {
  name: 'entra-admin-id-api'
  params: {
    serverName: psql_db.name
    principalId: id_api.properties.principalId
    principalName: 'id-api'
  }
}

// fulfil writes db: a Microsoft Entra administrator of the server
module psql_db_admin_fulfil 'modules/postgres-administrator.bicep' = {
  name: 'entra-admin-id-fulfil'
  params: {
    serverName: psql_db.name
    principalId: id_fulfil.properties.principalId
    principalName: 'id-fulfil'
  }
  dependsOn: [
    psql_db_admin_api
  ]
}

resource psql_db_lock 'Microsoft.Authorization/locks@2020-05-01' = {
  name: 'do-not-delete'
  scope: psql_db
  properties: {
    level: 'CanNotDelete'
    notes: 'deletion_protection: remove the lock (or set it false in the environment) first'
  }
}

resource pe_kv_vault_vault 'Microsoft.Network/privateEndpoints@2024-01-01' = {
  name: 'pe-kv-vault-vault'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: snet_data.id
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-kv-vault-vault'
        properties: {
          privateLinkServiceId: kv_vault.id
          groupIds: [
            'vault'
          ]
        }
      }
    ]
  }
}

resource pe_kv_vault_vault_dns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-01-01' = {
  parent: pe_kv_vault_vault
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'dns_privatelink_vaultcore_azure_net'
        properties: {
          privateDnsZoneId: dns_privatelink_vaultcore_azure_net.id
        }
      }
    ]
  }
}

resource pe_st_data_blob 'Microsoft.Network/privateEndpoints@2024-01-01' = {
  name: 'pe-st-data-blob'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: snet_data.id
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-st-data-blob'
        properties: {
          privateLinkServiceId: st_data.id
          groupIds: [
            'blob'
          ]
        }
      }
    ]
  }
}

resource pe_st_data_blob_dns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-01-01' = {
  parent: pe_st_data_blob
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'dns_privatelink_blob_core_windows_net'
        properties: {
          privateDnsZoneId: dns_privatelink_blob_core_windows_net.id
        }
      }
    ]
  }
}

resource pe_st_data_queue 'Microsoft.Network/privateEndpoints@2024-01-01' = {
  name: 'pe-st-data-queue'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: snet_data.id
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-st-data-queue'
        properties: {
          privateLinkServiceId: st_data.id
          groupIds: [
            'queue'
          ]
        }
      }
    ]
  }
}

resource pe_st_data_queue_dns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-01-01' = {
  parent: pe_st_data_queue
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'dns_privatelink_queue_core_windows_net'
        properties: {
          privateDnsZoneId: dns_privatelink_queue_core_windows_net.id
        }
      }
    ]
  }
}

resource pe_st_receipts_fn_host_blob 'Microsoft.Network/privateEndpoints@2024-01-01' = {
  name: 'pe-st-receipts-fn-host-blob'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: snet_data.id
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-st-receipts-fn-host-blob'
        properties: {
          privateLinkServiceId: st_receipts_fn_host.id
          groupIds: [
            'blob'
          ]
        }
      }
    ]
  }
}

resource pe_st_receipts_fn_host_blob_dns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-01-01' = {
  parent: pe_st_receipts_fn_host_blob
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'dns_privatelink_blob_core_windows_net'
        properties: {
          privateDnsZoneId: dns_privatelink_blob_core_windows_net.id
        }
      }
    ]
  }
}

// AcrPull: storefront pulls its image from acr
resource ra_storefront_cr_acr_Acrpull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(cr_acr.id, id_storefront.id, '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  scope: cr_acr
  properties: {
    principalId: id_storefront.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  }
}

// AcrPull: api pulls its image from acr
resource ra_api_cr_acr_Acrpull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(cr_acr.id, id_api.id, '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  scope: cr_acr
  properties: {
    principalId: id_api.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  }
}

// Azure Service Bus Data Sender: api publish orders (declared)
resource ra_api_sbq_orders_AzureServiceBusDataSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(sbq_orders.id, id_api.id, '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39')
  scope: sbq_orders
  properties: {
    principalId: id_api.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39')
  }
}

// Key Vault Secrets User: api read vault (declared)
resource ra_api_kv_vault_KeyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(kv_vault.id, id_api.id, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: kv_vault
  properties: {
    principalId: id_api.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
  }
}

// AcrPull: fulfil pulls its image from acr
resource ra_fulfil_cr_acr_Acrpull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(cr_acr.id, id_fulfil.id, '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  scope: cr_acr
  properties: {
    principalId: id_fulfil.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  }
}

// Azure Service Bus Data Receiver: fulfil subscribe orders (declared)
resource ra_fulfil_sbq_orders_AzureServiceBusDataReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(sbq_orders.id, id_fulfil.id, '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0')
  scope: sbq_orders
  properties: {
    principalId: id_fulfil.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0')
  }
}

// Storage Queue Data Message Sender: fulfil write receipts (declared)
resource ra_fulfil_queue_receipts_StorageQueueDataMessageSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(queue_receipts.id, id_fulfil.id, 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  scope: queue_receipts
  properties: {
    principalId: id_fulfil.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  }
}

// AcrPull: nightly-report pulls its image from acr
resource ra_nightly_report_cr_acr_Acrpull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(cr_acr.id, id_nightly_report.id, '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  scope: cr_acr
  properties: {
    principalId: id_nightly_report.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  }
}

// Storage Queue Data Message Processor: receipts-fn subscribe receipts (declared)
resource ra_receipts_fn_queue_receipts_StorageQueueDataMessageProcessor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(queue_receipts.id, id_receipts_fn.id, '8a0f0c08-91a1-4084-bc3d-661d67233fed')
  scope: queue_receipts
  properties: {
    principalId: id_receipts_fn.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8a0f0c08-91a1-4084-bc3d-661d67233fed')
  }
}

// Storage Blob Data Owner: receipts-fn runs its Functions host on its own storage account
resource ra_receipts_fn_st_receipts_fn_host_StorageBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(st_receipts_fn_host.id, id_receipts_fn.id, 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  scope: st_receipts_fn_host
  properties: {
    principalId: id_receipts_fn.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  }
}

// Monitoring Metrics Publisher: receipts-fn sends telemetry with Entra ID authentication
resource ra_receipts_fn_appi_receipts_fn_MonitoringMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appi_receipts_fn.id, id_receipts_fn.id, '3913510d-42f4-4e42-8a64-420c390055eb')
  scope: appi_receipts_fn
  properties: {
    principalId: id_receipts_fn.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
  }
}

resource cae_apps 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: 'cae-apps'
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    peerTrafficConfiguration: {
      encryption: {
        enabled: true
      }
    }
    vnetConfiguration: {
      infrastructureSubnetId: snet_apps.id
      internal: false
    }
    zoneRedundant: true
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
  }
}

resource cae_apps_diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'log-analytics'
  scope: cae_apps
  properties: {
    workspaceId: log.id
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

resource ca_storefront 'Microsoft.App/containerApps@2024-03-01' = {
  name: 'storefront'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${id_storefront.id}': {}
    }
  }
  properties: {
    environmentId: cae_apps.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: 3000
        transport: 'auto'
        allowInsecure: false
        customDomains: [
          {
            name: 'shop.example.com'
            bindingType: bindCustomDomains ? 'SniEnabled' : 'Disabled'
            certificateId: bindCustomDomains ? mc_storefront_shop.id : null
          }
        ]
      }
      registries: [
        {
          server: cr_acr.properties.loginServer
          identity: id_storefront.id
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'storefront'
          image: format('{0}/{1}', cr_acr.properties.loginServer, 'orders/storefront@sha256:032778fa5dae5c627d06fe72acdecfd97f95c0e1ac087e462c360a9d759712e9')
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: [
            {
              name: 'AZURE_CLIENT_ID'
              value: id_storefront.properties.clientId
            }
          ]
          probes: [
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz'
                port: 3000
                scheme: 'HTTP'
              }
              periodSeconds: 30
              timeoutSeconds: 5
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/healthz'
                port: 3000
                scheme: 'HTTP'
              }
              periodSeconds: 30
              timeoutSeconds: 5
            }
          ]
        }
      ]
      scale: {
        minReplicas: 2
        maxReplicas: 6
        rules: [
          {
            name: 'http'
            http: {
              metadata: {
                concurrentRequests: '80'
              }
            }
          }
          {
            name: 'cpu'
            custom: {
              type: 'cpu'
              metadata: {
                type: 'Utilization'
                value: '70'
              }
            }
          }
        ]
      }
    }
  }
  dependsOn: [
    ra_storefront_cr_acr_Acrpull
  ]
}

resource ca_api 'Microsoft.App/containerApps@2024-03-01' = {
  name: 'api'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${id_api.id}': {}
    }
  }
  properties: {
    environmentId: cae_apps.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: false
        targetPort: 8000
        transport: 'auto'
        allowInsecure: false
      }
      registries: [
        {
          server: cr_acr.properties.loginServer
          identity: id_api.id
        }
      ]
      secrets: [
        {
          name: 'payment-api-key'
          keyVaultUrl: format('{0}secrets/{1}', kv_vault.properties.vaultUri, 'payment-api-key')
          identity: id_api.id
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'api'
          image: format('{0}/{1}', cr_acr.properties.loginServer, 'orders/api@sha256:14c2529eb4498c5d1ffd6915d05bf58a91bdda796af59f41d480d11c099d0479')
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: [
            {
              name: 'LOG_LEVEL'
              value: 'info'
            }
            {
              name: 'PAYMENT_API_KEY'
              secretRef: 'payment-api-key'
            }
            {
              name: 'DATABASE_HOST'
              value: psql_db.properties.fullyQualifiedDomainName
            }
            {
              name: 'DATABASE_PORT'
              value: '5432'
            }
            {
              name: 'DATABASE_NAME'
              value: 'db'
            }
            {
              name: 'DATABASE_USER'
              value: 'id-api'
            }
            {
              name: 'ORDERS_QUEUE'
              value: sbq_orders.name
            }
            {
              name: 'AZURE_CLIENT_ID'
              value: id_api.properties.clientId
            }
          ]
          probes: [
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz'
                port: 8000
                scheme: 'HTTP'
              }
              periodSeconds: 30
              timeoutSeconds: 5
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/healthz'
                port: 8000
                scheme: 'HTTP'
              }
              periodSeconds: 30
              timeoutSeconds: 5
            }
          ]
        }
      ]
      scale: {
        minReplicas: 2
        maxReplicas: 2
        rules: [
          {
            name: 'http'
            http: {
              metadata: {
                concurrentRequests: '80'
              }
            }
          }
        ]
      }
    }
  }
  dependsOn: [
    ra_api_cr_acr_Acrpull
    ra_api_sbq_orders_AzureServiceBusDataSender
    ra_api_kv_vault_KeyVaultSecretsUser
  ]
}

@description('Fulfils each order the API queues')
resource caj_fulfil 'Microsoft.App/jobs@2025-01-01' = {
  name: 'fulfil'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${id_fulfil.id}': {}
    }
  }
  properties: {
    environmentId: cae_apps.id
    workloadProfileName: 'Consumption'
    configuration: {
      triggerType: 'Event'
      replicaTimeout: 1800
      replicaRetryLimit: 0
      eventTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
        scale: {
          minExecutions: 0
          maxExecutions: 10
          pollingInterval: 30
          rules: [
            {
              name: 'service-bus'
              type: 'azure-servicebus'
              metadata: {
                namespace: sb_messaging.name
                queueName: sbq_orders.name
                messageCount: '1'
              }
              identity: id_fulfil.id
            }
          ]
        }
      }
      registries: [
        {
          server: cr_acr.properties.loginServer
          identity: id_fulfil.id
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'fulfil'
          image: format('{0}/{1}', cr_acr.properties.loginServer, 'orders/fulfil@sha256:2fa1b1f6ab9bf73eedd28b5150b0a303e64e09d7f8cebe40c972b08cff2edd5f')
          resources: {
            cpu: json('0.25')
            memory: '0.5Gi'
          }
          env: [
            {
              name: 'DATABASE_HOST'
              value: psql_db.properties.fullyQualifiedDomainName
            }
            {
              name: 'DATABASE_NAME'
              value: 'db'
            }
            {
              name: 'DATABASE_USER'
              value: 'id-fulfil'
            }
            {
              name: 'RECEIPTS_QUEUE_URL'
              value: '${st_data.properties.primaryEndpoints.queue}${queue_receipts.name}'
            }
            {
              name: 'AZURE_CLIENT_ID'
              value: id_fulfil.properties.clientId
            }
            {
              name: 'TRIGGER_NAMESPACE'
              value: '${sb_messaging.name}.servicebus.windows.net'
            }
            {
              name: 'TRIGGER_QUEUE_NAME'
              value: sbq_orders.name
            }
          ]
        }
      ]
    }
  }
  dependsOn: [
    ra_fulfil_cr_acr_Acrpull
    ra_fulfil_sbq_orders_AzureServiceBusDataReceiver
    ra_fulfil_queue_receipts_StorageQueueDataMessageSender
  ]
}

@description('Reports yesterday\'s orders')
resource caj_nightly_report 'Microsoft.App/jobs@2025-01-01' = {
  name: 'nightly-report'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${id_nightly_report.id}': {}
    }
  }
  properties: {
    environmentId: cae_apps.id
    workloadProfileName: 'Consumption'
    configuration: {
      triggerType: 'Schedule'
      replicaTimeout: 1800
      replicaRetryLimit: 0
      scheduleTriggerConfig: {
        cronExpression: '0 2 * * *'
        parallelism: 1
        replicaCompletionCount: 1
      }
      registries: [
        {
          server: cr_acr.properties.loginServer
          identity: id_nightly_report.id
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'nightly-report'
          image: format('{0}/{1}', cr_acr.properties.loginServer, 'orders/report@sha256:845e91831319e89c4d656bdb80c278ac09a7230d61e5dfd2e1b1fbb436ac8917')
          resources: {
            cpu: json('0.25')
            memory: '0.5Gi'
          }
          env: [
            {
              name: 'DATABASE_HOST'
              value: psql_db.properties.fullyQualifiedDomainName
            }
            {
              name: 'DATABASE_NAME'
              value: 'db'
            }
            {
              name: 'DATABASE_USER'
              value: 'id-nightly-report'
            }
            {
              name: 'AZURE_CLIENT_ID'
              value: id_nightly_report.properties.clientId
            }
          ]
        }
      ]
    }
  }
  dependsOn: [
    ra_nightly_report_cr_acr_Acrpull
  ]
}

resource appi_receipts_fn 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-receipts-fn'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: log.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: true
  }
}

resource plan_receipts_fn 'Microsoft.Web/serverfarms@2024-04-01' = {
  // checkov:skip=CKV_AZURE_225: Flex Consumption places instances itself; its plan has no zone setting
  name: 'plan-receipts-fn'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

@description('Mails a receipt for each fulfilled order')
resource func_receipts_fn 'Microsoft.Web/sites@2024-04-01' = {
  // checkov:skip=CKV_AZURE_212: Flex Consumption scales instances per function; it has no worker count to set
  // checkov:skip=CKV_AZURE_213: Flex Consumption has no App Service health check, and receipts-fn serves no HTTP endpoint to probe
  name: concat('func-receipts-fn-', nameSuffix)
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${id_receipts_fn.id}': {}
    }
  }
  properties: {
    serverFarmId: plan_receipts_fn.id
    httpsOnly: true
    clientCertEnabled: true
    clientCertMode: 'Required'
    publicNetworkAccess: 'Disabled'
    keyVaultReferenceIdentity: id_receipts_fn.id
    virtualNetworkSubnetId: snet_functions.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        {
          name: 'AzureWebJobsStorage__accountName'
          value: st_receipts_fn_host.name
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: id_receipts_fn.properties.clientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appi_receipts_fn.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${id_receipts_fn.properties.clientId};Authorization=AAD'
        }
        {
          name: 'AZURE_CLIENT_ID'
          value: id_receipts_fn.properties.clientId
        }
        {
          name: 'TriggerQueue__queueServiceUri'
          value: st_data.properties.primaryEndpoints.queue
        }
        {
          name: 'TriggerQueue__credential'
          value: 'managedidentity'
        }
        {
          name: 'TriggerQueue__clientId'
          value: id_receipts_fn.properties.clientId
        }
        {
          name: 'TRIGGER_QUEUE_NAME'
          value: queue_receipts.name
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${st_receipts_fn_host.properties.primaryEndpoints.blob}deployments'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: id_receipts_fn.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: 100
        instanceMemoryMB: 512
      }
      runtime: {
        name: 'python'
        version: '3.11'
      }
    }
  }
  dependsOn: [
    ra_receipts_fn_queue_receipts_StorageQueueDataMessageProcessor
    ra_receipts_fn_st_receipts_fn_host_StorageBlobDataOwner
    ra_receipts_fn_appi_receipts_fn_MonitoringMetricsPublisher
  ]
}

resource dnsz_example_com 'Microsoft.Network/dnsZones@2018-05-01' existing = {
  name: 'example.com'
}

resource dns_storefront_shop_route 'Microsoft.Network/dnsZones/CNAME@2018-05-01' = {
  parent: dnsz_example_com
  name: 'shop'
  properties: {
    TTL: 3600
    CNAMERecord: {
      cname: format('{0}.{1}', 'storefront', cae_apps.properties.defaultDomain)
    }
  }
}

resource dns_storefront_shop_verification 'Microsoft.Network/dnsZones/TXT@2018-05-01' = {
  parent: dnsz_example_com
  name: 'asuid.shop'
  properties: {
    TTL: 3600
    TXTRecords: [
      {
        value: [
          cae_apps.properties.customDomainConfiguration.customDomainVerificationId
        ]
      }
    ]
  }
}

resource mc_storefront_shop 'Microsoft.App/managedEnvironments/managedCertificates@2024-03-01' = if (bindCustomDomains) {
  parent: cae_apps
  name: 'mc-storefront-shop'
  location: location
  tags: tags
  properties: {
    subjectName: 'shop.example.com'
    domainControlValidation: 'CNAME'
  }
  dependsOn: [
    dns_storefront_shop_route
    dns_storefront_shop_verification
  ]
}

output ca_storefront_fqdn string = ca_storefront.properties.configuration.ingress.fqdn

output ca_api_fqdn string = ca_api.properties.configuration.ingress.fqdn

output dns_storefront_shop_record_type string = 'CNAME'

output dns_storefront_shop_record_name string = 'shop.example.com'

output dns_storefront_shop_record_value string = format('{0}.{1}', 'storefront', cae_apps.properties.defaultDomain)

output dns_storefront_shop_txt_name string = 'asuid.shop.example.com'

output dns_storefront_shop_txt_value string = cae_apps.properties.customDomainConfiguration.customDomainVerificationId

output func_receipts_fn_name string = func_receipts_fn.name

output psql_db_host string = psql_db.properties.fullyQualifiedDomainName

@description('Run once as a Microsoft Entra administrator of the server: makes the other workloads database principals with their declared access.')
output psql_db_principals_sql string = 'SELECT * FROM pgaadauth_create_principal(\'id-nightly-report\', false, false);\nGRANT CONNECT ON DATABASE "db" TO "id-nightly-report";\nGRANT USAGE ON SCHEMA public TO "id-nightly-report";\nGRANT SELECT ON ALL TABLES IN SCHEMA public TO "id-nightly-report";'

output cr_acr_login_server string = cr_acr.properties.loginServer
