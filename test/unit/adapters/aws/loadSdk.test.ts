import * as kms from '@aws-sdk/client-kms';
import * as tagging from '@aws-sdk/client-resource-groups-tagging-api';
import * as sns from '@aws-sdk/client-sns';
import * as sqs from '@aws-sdk/client-sqs';
import * as sts from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { loadSdk } from '../../../../lib/adapters/aws/loadSdk.js';

describe('loadSdk()', () => {
  // The very classes a static import gives (aws-sdk-client-mock's mockClient(X) patches them), and no more:
  // each package's unused commands stay out of the bundles. Spread: a namespace also has a toStringTag.
  it('loads the KMS client and the commands the key adapters send', async () => {
    expect({ ...(await loadSdk('kms')) }).toEqual({
      KMSClient: kms.KMSClient,
      DescribeKeyCommand: kms.DescribeKeyCommand,
      GetKeyPolicyCommand: kms.GetKeyPolicyCommand,
      GetPublicKeyCommand: kms.GetPublicKeyCommand,
      SignCommand: kms.SignCommand,
      ListResourceTagsCommand: kms.ListResourceTagsCommand,
      PutKeyPolicyCommand: kms.PutKeyPolicyCommand,
    });
  });

  it('loads the SNS, SQS, STS and tagging clients and their commands', async () => {
    expect({ ...(await loadSdk('sns')) }).toEqual({
      SNSClient: sns.SNSClient,
      PublishCommand: sns.PublishCommand,
    });
    expect({ ...(await loadSdk('sqs')) }).toEqual({
      SQSClient: sqs.SQSClient,
      SendMessageBatchCommand: sqs.SendMessageBatchCommand,
      ChangeMessageVisibilityBatchCommand: sqs.ChangeMessageVisibilityBatchCommand,
    });
    expect({ ...(await loadSdk('sts')) }).toEqual({
      STSClient: sts.STSClient,
      AssumeRoleCommand: sts.AssumeRoleCommand,
      GetCallerIdentityCommand: sts.GetCallerIdentityCommand,
    });
    expect({ ...(await loadSdk('tagging')) }).toEqual({
      ResourceGroupsTaggingAPIClient: tagging.ResourceGroupsTaggingAPIClient,
      GetResourcesCommand: tagging.GetResourcesCommand,
    });
  });

  it('loads each package once: every caller shares one promise', () => {
    expect(loadSdk('sns')).toBe(loadSdk('sns'));
    expect(loadSdk('kms')).not.toBe(loadSdk('sns'));
  });
});
