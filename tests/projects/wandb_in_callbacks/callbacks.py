import wandb


def log_epoch(epoch, metrics):
    wandb.log({"epoch": epoch, **metrics})
