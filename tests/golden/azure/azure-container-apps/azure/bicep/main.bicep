metadata description = 'Container Apps frontend and backend, an OCR function on blob uploads'
targetScope = 'resourceGroup'

@description('Azure region of every resource.')
param location string = 'uksouth'

@description('Appended to globally unique names (storage, Key Vault, registry, Cosmos DB, Cognitive Services, Function App).')
@minLength(13)
@maxLength(13)
param nameSuffix string = uniqueString(resourceGroup().id)

var tags = {
  blueprint: 'ocr-pipeline'
}

resource log 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-ocr-pipeline'
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

resource id_frontend 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-frontend'
  location: location
  tags: tags
}

resource id_backend 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-backend'
  location: location
  tags: tags
}

resource id_ocr_fn 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-ocr-fn'
  location: location
  tags: tags
}

resource id_evgt_data 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-evgt-data'
  location: location
  tags: tags
}

resource nsg_apps_infra 'Microsoft.Network/networkSecurityGroups@2024-01-01' = {
  name: 'nsg-apps-infra'
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

resource vnet_apps 'Microsoft.Network/virtualNetworks@2024-01-01' = {
  name: 'vnet-apps'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.10.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'apps-infra'
        properties: {
          addressPrefix: '10.10.0.0/23'
          networkSecurityGroup: {
            id: nsg_apps_infra.id
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
          addressPrefix: '10.10.2.0/27'
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
          addressPrefix: '10.10.3.0/24'
          networkSecurityGroup: {
            id: nsg_data.id
          }
          privateEndpointNetworkPolicies: 'Enabled'
        }
      }
    ]
  }
}

resource snet_apps_infra 'Microsoft.Network/virtualNetworks/subnets@2024-01-01' existing = {
  parent: vnet_apps
  name: 'apps-infra'
}

resource snet_functions 'Microsoft.Network/virtualNetworks/subnets@2024-01-01' existing = {
  parent: vnet_apps
  name: 'functions'
}

resource snet_data 'Microsoft.Network/virtualNetworks/subnets@2024-01-01' existing = {
  parent: vnet_apps
  name: 'data'
}

resource dns_privatelink_blob_core_windows_net 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: 'privatelink.blob.core.windows.net'
  location: 'global'
  tags: tags
}

resource dns_privatelink_blob_core_windows_net_vnet_apps 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: dns_privatelink_blob_core_windows_net
  name: 'vnet-apps'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet_apps.id
    }
  }
}

resource dns_privatelink_cognitiveservices_azure_com 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: 'privatelink.cognitiveservices.azure.com'
  location: 'global'
  tags: tags
}

resource dns_privatelink_cognitiveservices_azure_com_vnet_apps 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: dns_privatelink_cognitiveservices_azure_com
  name: 'vnet-apps'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet_apps.id
    }
  }
}

resource dns_privatelink_documents_azure_com 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: 'privatelink.documents.azure.com'
  location: 'global'
  tags: tags
}

resource dns_privatelink_documents_azure_com_vnet_apps 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: dns_privatelink_documents_azure_com
  name: 'vnet-apps'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet_apps.id
    }
  }
}

resource dns_privatelink_queue_core_windows_net 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: 'privatelink.queue.core.windows.net'
  location: 'global'
  tags: tags
}

resource dns_privatelink_queue_core_windows_net_vnet_apps 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: dns_privatelink_queue_core_windows_net
  name: 'vnet-apps'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet_apps.id
    }
  }
}

resource dns_privatelink_vaultcore_azure_net 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: 'privatelink.vaultcore.azure.net'
  location: 'global'
  tags: tags
}

resource dns_privatelink_vaultcore_azure_net_vnet_apps 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: dns_privatelink_vaultcore_azure_net
  name: 'vnet-apps'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet_apps.id
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
  // checkov:skip=CKV_AZURE_59: Event Grid delivers blob events into this account's queues as a trusted Azure service, which needs the public endpoint enabled behind the default-deny firewall; workloads reach the account through its private endpoints
  name: concat('stocrpipeli', nameSuffix)
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
    publicNetworkAccess: 'Enabled'
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

resource st_data_blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: st_data
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

resource blob_uploads 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: st_data_blobs
  name: 'uploads'
  properties: {
    publicAccess: 'None'
  }
}

resource st_data_queues 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: st_data
  name: 'default'
}

resource queue_ocr_fn_events 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: st_data_queues
  name: 'ocr-fn-events'
}

@description('Storage for the Functions host and deployment packages of ocr-fn')
resource st_ocr_fn_host 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  // checkov:skip=CKV_AZURE_43: the name is concat() of a lowercase alphanumeric prefix of at most 11 characters and uniqueString() (13), which checkov cannot evaluate
  name: concat('sfocrfn', nameSuffix)
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

resource st_ocr_fn_host_blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: st_ocr_fn_host
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

resource blob_ocr_fn_deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: st_ocr_fn_host_blobs
  name: 'deployments'
  properties: {
    publicAccess: 'None'
  }
}

resource cosmos_documents 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: concat('cosmos-documents-', nameSuffix)
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: true
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: {
        tier: 'Continuous7Days'
      }
    }
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    enableMultipleWriteLocations: false
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Disabled'
    networkAclBypass: 'None'
  }
}

resource cosmos_documents_db 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: cosmos_documents
  name: 'documents'
  properties: {
    resource: {
      id: 'documents'
    }
  }
}

resource cosmos_documents_pages 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: cosmos_documents_db
  name: 'pages'
  properties: {
    resource: {
      id: 'pages'
      partitionKey: {
        paths: [
          '/id'
        ]
        kind: 'Hash'
        version: 2
      }
    }
  }
}

resource cog_ocr 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  // checkov:skip=CKV_AZURE_238: the OCR account calls no other resource, so it holds no identity to govern
  name: concat('cog-ocr-', nameSuffix)
  location: location
  tags: tags
  kind: 'ComputerVision'
  sku: {
    name: 'S1'
  }
  properties: {
    customSubDomainName: concat('cog-ocr-', nameSuffix)
    disableLocalAuth: true
    publicNetworkAccess: 'Disabled'
    networkAcls: {
      defaultAction: 'Deny'
      ipRules: []
      virtualNetworkRules: []
    }
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

resource pe_cosmos_documents_sql 'Microsoft.Network/privateEndpoints@2024-01-01' = {
  name: 'pe-cosmos-documents-sql'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: snet_data.id
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-cosmos-documents-sql'
        properties: {
          privateLinkServiceId: cosmos_documents.id
          groupIds: [
            'Sql'
          ]
        }
      }
    ]
  }
}

resource pe_cosmos_documents_sql_dns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-01-01' = {
  parent: pe_cosmos_documents_sql
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'dns_privatelink_documents_azure_com'
        properties: {
          privateDnsZoneId: dns_privatelink_documents_azure_com.id
        }
      }
    ]
  }
}

resource pe_cog_ocr_account 'Microsoft.Network/privateEndpoints@2024-01-01' = {
  name: 'pe-cog-ocr-account'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: snet_data.id
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-cog-ocr-account'
        properties: {
          privateLinkServiceId: cog_ocr.id
          groupIds: [
            'account'
          ]
        }
      }
    ]
  }
}

resource pe_cog_ocr_account_dns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-01-01' = {
  parent: pe_cog_ocr_account
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'dns_privatelink_cognitiveservices_azure_com'
        properties: {
          privateDnsZoneId: dns_privatelink_cognitiveservices_azure_com.id
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

resource pe_st_ocr_fn_host_blob 'Microsoft.Network/privateEndpoints@2024-01-01' = {
  name: 'pe-st-ocr-fn-host-blob'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: snet_data.id
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-st-ocr-fn-host-blob'
        properties: {
          privateLinkServiceId: st_ocr_fn_host.id
          groupIds: [
            'blob'
          ]
        }
      }
    ]
  }
}

resource pe_st_ocr_fn_host_blob_dns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-01-01' = {
  parent: pe_st_ocr_fn_host_blob
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

// AcrPull: frontend pulls its image from acr
resource ra_frontend_cr_acr_Acrpull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(cr_acr.id, id_frontend.id, '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  scope: cr_acr
  properties: {
    principalId: id_frontend.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  }
}

// AcrPull: backend pulls its image from acr
resource ra_backend_cr_acr_Acrpull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(cr_acr.id, id_backend.id, '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  scope: cr_acr
  properties: {
    principalId: id_backend.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  }
}

// Key Vault Secrets User: backend read vault (declared)
resource ra_backend_kv_vault_KeyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(kv_vault.id, id_backend.id, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: kv_vault
  properties: {
    principalId: id_backend.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
  }
}

// Storage Blob Data Contributor: backend write uploads (declared)
resource ra_backend_blob_uploads_StorageBlobDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(blob_uploads.id, id_backend.id, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: blob_uploads
  properties: {
    principalId: id_backend.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}

// Storage Blob Data Reader: ocr-fn read uploads (declared)
resource ra_ocr_fn_blob_uploads_StorageBlobDataReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(blob_uploads.id, id_ocr_fn.id, '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
  scope: blob_uploads
  properties: {
    principalId: id_ocr_fn.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
  }
}

// Cognitive Services User: ocr-fn invoke ocr (declared)
resource ra_ocr_fn_cog_ocr_CognitiveServicesUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(cog_ocr.id, id_ocr_fn.id, 'a97b65f3-24c7-4388-baec-2e87135dc908')
  scope: cog_ocr
  properties: {
    principalId: id_ocr_fn.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'a97b65f3-24c7-4388-baec-2e87135dc908')
  }
}

// Storage Blob Data Owner: ocr-fn runs its Functions host on its own storage account
resource ra_ocr_fn_st_ocr_fn_host_StorageBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(st_ocr_fn_host.id, id_ocr_fn.id, 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  scope: st_ocr_fn_host
  properties: {
    principalId: id_ocr_fn.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  }
}

// Monitoring Metrics Publisher: ocr-fn sends telemetry with Entra ID authentication
resource ra_ocr_fn_appi_ocr_fn_MonitoringMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appi_ocr_fn.id, id_ocr_fn.id, '3913510d-42f4-4e42-8a64-420c390055eb')
  scope: appi_ocr_fn
  properties: {
    principalId: id_ocr_fn.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
  }
}

// Storage Queue Data Message Processor: ocr-fn consumes the blob events queued for its trigger
resource ra_ocr_fn_queue_ocr_fn_events_StorageQueueDataMessageProcessor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(queue_ocr_fn_events.id, id_ocr_fn.id, '8a0f0c08-91a1-4084-bc3d-661d67233fed')
  scope: queue_ocr_fn_events
  properties: {
    principalId: id_ocr_fn.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8a0f0c08-91a1-4084-bc3d-661d67233fed')
  }
}

// Storage Queue Data Message Sender: Event Grid delivers uploads events to ocr-fn
resource ra_evgt_ocr_fn_queue_ocr_fn_events_StorageQueueDataMessageSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(queue_ocr_fn_events.id, id_evgt_data.id, 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  scope: queue_ocr_fn_events
  properties: {
    principalId: id_evgt_data.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  }
}

// Cosmos DB Built-in Data Reader: backend read documents (declared)
resource sqlra_backend_cosmos_documents_CosmosDbBuiltInDataReader 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmos_documents
  name: guid(cosmos_documents_db.id, id_backend.id, '00000000-0000-0000-0000-000000000001')
  properties: {
    principalId: id_backend.properties.principalId
    roleDefinitionId: resourceId('Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions', cosmos_documents.name, '00000000-0000-0000-0000-000000000001')
    scope: '${cosmos_documents.id}/dbs/${cosmos_documents_db.name}'
  }
}

// Cosmos DB Built-in Data Contributor: ocr-fn write documents (declared)
resource sqlra_ocr_fn_cosmos_documents_CosmosDbBuiltInDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmos_documents
  name: guid(cosmos_documents_db.id, id_ocr_fn.id, '00000000-0000-0000-0000-000000000002')
  properties: {
    principalId: id_ocr_fn.properties.principalId
    roleDefinitionId: resourceId('Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions', cosmos_documents.name, '00000000-0000-0000-0000-000000000002')
    scope: '${cosmos_documents.id}/dbs/${cosmos_documents_db.name}'
  }
}

resource cae_apps_infra 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: 'cae-apps-infra'
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
      infrastructureSubnetId: snet_apps_infra.id
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

resource cae_apps_infra_diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'log-analytics'
  scope: cae_apps_infra
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

resource ca_frontend 'Microsoft.App/containerApps@2024-03-01' = {
  name: 'frontend'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${id_frontend.id}': {}
    }
  }
  properties: {
    environmentId: cae_apps_infra.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: 3000
        transport: 'auto'
        allowInsecure: false
      }
      registries: [
        {
          server: cr_acr.properties.loginServer
          identity: id_frontend.id
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'frontend'
          image: format('{0}/{1}', cr_acr.properties.loginServer, 'ocr/frontend:2.1.0')
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: [
            {
              name: 'AZURE_CLIENT_ID'
              value: id_frontend.properties.clientId
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
        maxReplicas: 5
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
    ra_frontend_cr_acr_Acrpull
  ]
}

resource ca_backend 'Microsoft.App/containerApps@2024-03-01' = {
  name: 'backend'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${id_backend.id}': {}
    }
  }
  properties: {
    environmentId: cae_apps_infra.id
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
          identity: id_backend.id
        }
      ]
      secrets: [
        {
          name: 'cosmos-endpoint'
          keyVaultUrl: format('{0}secrets/{1}', kv_vault.properties.vaultUri, 'cosmos-endpoint')
          identity: id_backend.id
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'backend'
          image: format('{0}/{1}', cr_acr.properties.loginServer, 'ocr/backend:2.1.0')
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: [
            {
              name: 'COSMOS_ENDPOINT'
              secretRef: 'cosmos-endpoint'
            }
            {
              name: 'AZURE_CLIENT_ID'
              value: id_backend.properties.clientId
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
    ra_backend_cr_acr_Acrpull
    ra_backend_kv_vault_KeyVaultSecretsUser
    ra_backend_blob_uploads_StorageBlobDataContributor
    sqlra_backend_cosmos_documents_CosmosDbBuiltInDataReader
  ]
}

resource appi_ocr_fn 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-ocr-fn'
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

resource plan_ocr_fn 'Microsoft.Web/serverfarms@2024-04-01' = {
  // checkov:skip=CKV_AZURE_225: Flex Consumption places instances itself; its plan has no zone setting
  name: 'plan-ocr-fn'
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

resource func_ocr_fn 'Microsoft.Web/sites@2024-04-01' = {
  // checkov:skip=CKV_AZURE_212: Flex Consumption scales instances per function; it has no worker count to set
  // checkov:skip=CKV_AZURE_213: Flex Consumption has no App Service health check, and ocr-fn serves no HTTP endpoint to probe
  name: concat('func-ocr-fn-', nameSuffix)
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${id_ocr_fn.id}': {}
    }
  }
  properties: {
    serverFarmId: plan_ocr_fn.id
    httpsOnly: true
    clientCertEnabled: true
    clientCertMode: 'Required'
    publicNetworkAccess: 'Disabled'
    keyVaultReferenceIdentity: id_ocr_fn.id
    virtualNetworkSubnetId: snet_functions.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        {
          name: 'AzureWebJobsStorage__accountName'
          value: st_ocr_fn_host.name
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: id_ocr_fn.properties.clientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appi_ocr_fn.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${id_ocr_fn.properties.clientId};Authorization=AAD'
        }
        {
          name: 'AZURE_CLIENT_ID'
          value: id_ocr_fn.properties.clientId
        }
        {
          name: 'EventsQueue__queueServiceUri'
          value: st_data.properties.primaryEndpoints.queue
        }
        {
          name: 'EventsQueue__credential'
          value: 'managedidentity'
        }
        {
          name: 'EventsQueue__clientId'
          value: id_ocr_fn.properties.clientId
        }
        {
          name: 'EVENTS_QUEUE_NAME'
          value: queue_ocr_fn_events.name
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${st_ocr_fn_host.properties.primaryEndpoints.blob}deployments'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: id_ocr_fn.id
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
    ra_ocr_fn_blob_uploads_StorageBlobDataReader
    ra_ocr_fn_cog_ocr_CognitiveServicesUser
    sqlra_ocr_fn_cosmos_documents_CosmosDbBuiltInDataContributor
    ra_ocr_fn_st_ocr_fn_host_StorageBlobDataOwner
    ra_ocr_fn_appi_ocr_fn_MonitoringMetricsPublisher
    ra_ocr_fn_queue_ocr_fn_events_StorageQueueDataMessageProcessor
  ]
}

resource evgt_data 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: 'evgt-ocr-pipeline'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${id_evgt_data.id}': {}
    }
  }
  properties: {
    source: st_data.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource evgs_ocr_fn 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: evgt_data
  name: 'ocr-fn-created'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/uploads/'
    }
    deliveryWithResourceIdentity: {
      identity: {
        type: 'UserAssigned'
        userAssignedIdentity: id_evgt_data.id
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: st_data.id
          queueName: queue_ocr_fn_events.name
          queueMessageTimeToLiveInSeconds: 604800
        }
      }
    }
    retryPolicy: {
      maxDeliveryAttempts: 5
      eventTimeToLiveInMinutes: 1440
    }
  }
  dependsOn: [
    ra_evgt_ocr_fn_queue_ocr_fn_events_StorageQueueDataMessageSender
  ]
}

output ca_frontend_fqdn string = ca_frontend.properties.configuration.ingress.fqdn

output ca_backend_fqdn string = ca_backend.properties.configuration.ingress.fqdn

output func_ocr_fn_name string = func_ocr_fn.name

output cr_acr_login_server string = cr_acr.properties.loginServer
