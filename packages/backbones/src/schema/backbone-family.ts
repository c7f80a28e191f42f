/** `cifar`: the CIFAR ResNets (He et al. 2016, §4.2); `imagenet`: torchvision's ResNet/ResNeXt. */
export type BackboneFamily = 'cifar' | 'imagenet';
